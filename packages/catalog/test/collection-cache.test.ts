import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import {
  STALE, getVisibleCollection, isCurrent, parseItemsQuery, queryItems, renderTile, setTableServed, withVisibleCollection, type VectorCollection,
} from '../src/index.ts';
import { createVectorFixtures } from '../testing/index.ts';

for (const kind of TEST_BACKENDS) {
  describe(`collection cache and catalog guard (${kind})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
      await createVectorFixtures(t.db);
      await setTableServed(t.db, 'places', true, 'public');
    });
    after(() => t.drop());

    /** The collection as `withVisibleCollection` hands it to a guarded read (an items page here). */
    const read = (visibility: 'public' | 'reviewer') =>
      withVisibleCollection(t.db, 'places', visibility, async (collection) => {
        const page = await queryItems(t.db, collection, parseItemsQuery({ limit: 1 }, collection), visibility);
        return page === STALE ? STALE : { collection, page };
      });

    it('guards items and tiles read with metadata the catalog has since changed', async () => {
      const before = (await getVisibleCollection(t.db, 'places', 'public'))!;
      assert.equal(await isCurrent(t.db, before, 'public'), true);
      await setTableServed(t.db, 'places', true, 'ouo');
      assert.equal(await isCurrent(t.db, before, 'public'), false);
      assert.equal(await queryItems(t.db, before, parseItemsQuery({ limit: 1 }, before), 'public'), STALE);
      assert.equal(await renderTile(t.db, before, { z: 0, x: 0, y: 0 }, 'public'), STALE);
      // Still visible to a reviewer, but read before the change: stale as well.
      assert.equal(await isCurrent(t.db, before, 'reviewer'), false);
      const now = (await getVisibleCollection(t.db, 'places', 'reviewer'))!;
      assert.notEqual(now.catalogVersion, before.catalogVersion);
      assert.notEqual(await renderTile(t.db, now, { z: 0, x: 0, y: 0 }, 'reviewer'), STALE);
      await setTableServed(t.db, 'places', true, 'public');
    });

    it('serves from the cache until the catalog changes, then reads it afresh', async () => {
      const first = (await read('public'))!;
      const second = (await read('public'))!;
      assert.equal(second.collection, first.collection, 'the same cached metadata');
      assert.equal(second.page.numberReturned, 1);
      await setTableServed(t.db, 'places', false, 'public');
      assert.equal(await read('public'), undefined, 'withdrawn: invisible at once');
      const reviewer = (await read('reviewer'))!;
      assert.equal(reviewer.collection.served, false);
      await setTableServed(t.db, 'places', true, 'public');
      const again = (await read('public'))!;
      assert.notEqual(again.collection, first.collection);
      assert.equal(again.collection.served, true);
    });

    it('re-checks an error raised on cached metadata before letting it out', async () => {
      assert.ok(await read('public'));
      await setTableServed(t.db, 'places', false, 'public');
      const badQuery = withVisibleCollection(t.db, 'places', 'public', async (collection: VectorCollection) => parseItemsQuery({ nope: '1' }, collection));
      assert.equal(await badQuery, undefined, 'not found, rather than the unknown parameter of a hidden collection');
      await setTableServed(t.db, 'places', true, 'public');
      await assert.rejects(withVisibleCollection(t.db, 'places', 'public', async (collection: VectorCollection) => parseItemsQuery({ nope: '1' }, collection)), /unknown parameter/);
    });
  });
}
