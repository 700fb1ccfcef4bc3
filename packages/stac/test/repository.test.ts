import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MeridianError } from '@meridian/core';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import {
  createCollection, deleteCollection, deleteItem, ensureCollection, getCollection, getItem, insertItems, patchCollection, patchItem,
  recomputeCollectionExtent, replaceCollection, replaceItem, setCollectionClassification, setItemClassification, upsertCollection,
  upsertItems,
} from '../src/index.ts';
import { OUO, PUBLIC } from './fixtures.ts';
import { collectionDoc, itemDoc } from './support.ts';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof MeridianError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

for (const kind of TEST_BACKENDS) {
  describe(`STAC repository (${kind})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
    });
    after(() => t.drop());

    it('creates, replaces, patches and deletes collections', async () => {
      await createCollection(t.db, collectionDoc('c-crud'), PUBLIC);
      await rejectsWith(createCollection(t.db, collectionDoc('c-crud'), PUBLIC), 'STAC_COLLECTION_EXISTS');
      await replaceCollection(t.db, 'c-crud', collectionDoc('c-crud', { title: 'Replaced' }));
      assert.equal((await getCollection(t.db, 'c-crud', 'public'))!.collection.title, 'Replaced');
      const patched = await t.db.transaction((tx) => patchCollection(tx, 'c-crud', { title: null, keywords: ['k'] }));
      assert.equal('title' in patched, false);
      assert.deepEqual(patched.keywords, ['k']);
      await rejectsWith(t.db.transaction((tx) => patchCollection(tx, 'c-crud', { license: null })), 'STAC_INVALID');
      await rejectsWith(replaceCollection(t.db, 'c-crud', collectionDoc('other-id')), 'VALIDATION_ERROR');
      await rejectsWith(replaceCollection(t.db, 'missing', collectionDoc('missing')), 'STAC_COLLECTION_NOT_FOUND');
      assert.deepEqual(await ensureCollection(t.db, collectionDoc('c-crud', { title: 'Ignored' }), PUBLIC), { created: false });
      assert.deepEqual(await upsertCollection(t.db, collectionDoc('c-crud', { title: 'Upserted' }), OUO), { created: false });
      const stored = (await getCollection(t.db, 'c-crud', 'public'))!;
      assert.equal(stored.collection.title, 'Upserted');
      assert.equal(stored.accessLevel, 'public', 'an upsert keeps the classification');
      await deleteCollection(t.db, 'c-crud');
      assert.equal(await getCollection(t.db, 'c-crud', 'reviewer'), undefined);
      await rejectsWith(deleteCollection(t.db, 'c-crud'), 'STAC_COLLECTION_NOT_FOUND');
    });

    it('writes items all or none, and keeps the collection extent around them', async () => {
      await createCollection(t.db, collectionDoc('c-items'), PUBLIC);
      const items = [itemDoc('a', 5, 5, '2019-06-01T00:00:00Z'), itemDoc('b', 6, 7, '2024-01-01T00:00:00Z')];
      await t.db.transaction((tx) => insertItems(tx, 'c-items', items, PUBLIC));
      const extent = (await getCollection(t.db, 'c-items', 'public'))!.collection.extent as { spatial: { bbox: number[][] }; temporal: { interval: string[][] } };
      assert.deepEqual(extent.spatial.bbox[0], [0, 0, 6.01, 7.01]);
      assert.deepEqual(extent.temporal.interval[0], ['2019-06-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
      // One taken id fails the whole batch.
      await rejectsWith(t.db.transaction((tx) => insertItems(tx, 'c-items', [itemDoc('c', 1, 1, '2020-01-01T00:00:00Z'), itemDoc('a', 1, 1, '2020-01-01T00:00:00Z')], PUBLIC)), 'STAC_ITEM_EXISTS');
      assert.equal(await getItem(t.db, 'c-items', 'c', 'reviewer'), undefined);
      await rejectsWith(t.db.transaction((tx) => insertItems(tx, 'c-items', [itemDoc('d', 1, 1, '2020-01-01T00:00:00Z'), itemDoc('d', 1, 1, '2020-01-01T00:00:00Z')], PUBLIC)), 'VALIDATION_ERROR');
      await rejectsWith(t.db.transaction((tx) => insertItems(tx, 'no-such-collection', [itemDoc('e', 1, 1, '2020-01-01T00:00:00Z')], PUBLIC)), 'STAC_COLLECTION_NOT_FOUND');
      await assert.rejects(t.db.transaction((tx) => insertItems(tx, 'c-items', [itemDoc('f', 1, 1, '2020-01-01T00:00:00Z'), { ...itemDoc('g', 1, 1, null) }], PUBLIC)), /features\[1\]/);

      const replaced = await t.db.transaction((tx) => replaceItem(tx, 'c-items', 'a', itemDoc('a', -3, -3, '2018-01-01T00:00:00Z', { title: 'moved' })));
      assert.equal(replaced.properties.title, 'moved');
      await rejectsWith(t.db.transaction((tx) => replaceItem(tx, 'c-items', 'zz', itemDoc('zz', 1, 1, '2020-01-01T00:00:00Z'))), 'STAC_ITEM_NOT_FOUND');
      const patched = await t.db.transaction((tx) => patchItem(tx, 'c-items', 'a', { properties: { title: null, gsd: 10 } }));
      assert.deepEqual(Object.keys(patched.properties).sort(), ['datetime', 'gsd']);
      const widened = (await getCollection(t.db, 'c-items', 'public'))!.collection.extent as { spatial: { bbox: number[][] } };
      assert.deepEqual(widened.spatial.bbox[0], [-3.01, -3.01, 6.01, 7.01]);

      await deleteItem(t.db, 'c-items', 'b');
      await rejectsWith(deleteItem(t.db, 'c-items', 'b'), 'STAC_ITEM_NOT_FOUND');
      await recomputeCollectionExtent(t.db, 'c-items');
      const shrunk = (await getCollection(t.db, 'c-items', 'public'))!.collection.extent as { spatial: { bbox: number[][] }; temporal: { interval: string[][] } };
      assert.deepEqual(shrunk.spatial.bbox[0], [-3.01, -3.01, -2.99, -2.99]);
      assert.deepEqual(shrunk.temporal.interval[0], ['2018-01-01T00:00:00.000Z', '2018-01-01T00:00:00.000Z']);
    });

    it('takes parallel bulk inserts into one collection without deadlocking', async () => {
      await createCollection(t.db, collectionDoc('c-parallel'), PUBLIC);
      const batch = (w: number) => Array.from({ length: 50 }, (_, i) => itemDoc(`p${w}-${i}`, w * 10 + i * 0.1, w, new Date(Date.UTC(2020, w, 1 + i)).toISOString()));
      await Promise.all([0, 1, 2, 3].map((w) => t.db.transaction((tx) => insertItems(tx, 'c-parallel', batch(w), PUBLIC))));
      const extent = (await getCollection(t.db, 'c-parallel', 'public'))!.collection.extent as { spatial: { bbox: number[][] } };
      assert.deepEqual(extent.spatial.bbox[0], [-0.01, -0.01, 34.91, 3.01]);
    });

    it('upserts items for the ETL, keeping the classification of replaced items', async () => {
      await createCollection(t.db, collectionDoc('c-upsert'), PUBLIC);
      await t.db.transaction((tx) => upsertItems(tx, 'c-upsert', [itemDoc('u1', 0, 0, '2020-01-01T00:00:00Z')], OUO));
      const result = await t.db.transaction((tx) => upsertItems(tx, 'c-upsert', [itemDoc('u1', 1, 1, '2020-01-02T00:00:00Z'), itemDoc('u2', 0, 0, '2020-01-01T00:00:00Z')], PUBLIC));
      assert.deepEqual(result, { created: 1, replaced: 1 });
      const u1 = (await getItem(t.db, 'c-upsert', 'u1', 'reviewer'))!;
      assert.equal(u1.accessLevel, 'ouo');
      assert.equal(u1.item.properties.datetime, '2020-01-02T00:00:00Z');
    });

    it('hides items and collections by classification', async () => {
      await createCollection(t.db, collectionDoc('c-vis'), PUBLIC);
      await t.db.transaction((tx) => insertItems(tx, 'c-vis', [itemDoc('v', 0, 0, '2020-01-01T00:00:00Z')], PUBLIC));
      assert.ok(await getItem(t.db, 'c-vis', 'v', 'public'));
      await setItemClassification(t.db, 'c-vis', 'v', OUO);
      assert.equal(await getItem(t.db, 'c-vis', 'v', 'public'), undefined);
      assert.ok(await getItem(t.db, 'c-vis', 'v', 'authenticated'));
      await setItemClassification(t.db, 'c-vis', 'v', { accessLevel: 'public', served: false });
      assert.equal(await getItem(t.db, 'c-vis', 'v', 'authenticated'), undefined);
      assert.ok(await getItem(t.db, 'c-vis', 'v', 'reviewer'));
      await setItemClassification(t.db, 'c-vis', 'v', PUBLIC);
      // An item of a collection the caller may not see is hidden too.
      await setCollectionClassification(t.db, 'c-vis', { accessLevel: 'public', served: false });
      assert.equal(await getItem(t.db, 'c-vis', 'v', 'public'), undefined);
      assert.equal(await getCollection(t.db, 'c-vis', 'authenticated'), undefined);
      await rejectsWith(setItemClassification(t.db, 'c-vis', 'nope', PUBLIC), 'STAC_ITEM_NOT_FOUND');
    });
  });
}
