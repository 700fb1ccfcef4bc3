import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { rejectsWith, type Conformance } from './support.ts';

/** Deleting and copying. */
export function mutationTests(suite: Conformance): void {
  describe('delete, copy', () => {
    it('deletes a blob and says whether there was one', async () => {
      const container = suite.fresh();
      await suite.store.put({ container, key: 'dir/a' }, 'a');
      await suite.store.put({ container, key: 'dir/b' }, 'b');
      assert.equal(await suite.store.delete({ container, key: 'dir/a' }), true);
      assert.equal(await suite.store.head({ container, key: 'dir/a' }), null);
      assert.equal(await suite.store.delete({ container, key: 'dir/a' }), false);
      assert.equal(await suite.store.delete({ container: suite.fresh(), key: 'nothing' }), false);
      assert.equal(await text((await suite.store.get({ container, key: 'dir/b' })).body), 'b');
      assert.equal(await suite.store.delete({ container, key: 'dir/b' }), true);
      assert.deepEqual(await suite.store.list(container, { delimiter: '/' }), { items: [], prefixes: [], nextToken: null });
    });

    it('deletes by prefix and counts what went', async () => {
      const container = suite.fresh();
      const keys = ['x/1', 'x/2', 'x/y/3', 'xy/4', 'z'];
      await Promise.all(keys.map((key) => suite.store.put({ container, key }, key)));
      assert.equal(await suite.store.deletePrefix(container, 'x/'), 3);
      assert.deepEqual((await suite.store.list(container)).items.map((item) => item.key), ['xy/4', 'z']);
      assert.equal(await suite.store.deletePrefix(container, 'x/'), 0);
      assert.equal(await suite.store.deletePrefix(container, 'x'), 1);
      assert.equal(await suite.store.deletePrefix(suite.fresh(), 'x'), 0);
      assert.equal(await suite.store.deletePrefix(container, ''), 1);
      assert.deepEqual((await suite.store.list(container)).items, []);
    });

    it('copies within and across containers, keeping the content type', async () => {
      const container = suite.fresh();
      const source = { container, key: 'src/a.json' };
      await suite.store.put(source, '{"a":1}', { contentType: 'application/json' });
      const within = await suite.store.copy(source, { container, key: 'dst/a.json' });
      assert.deepEqual([within.key, within.size, within.contentType], ['dst/a.json', 7, 'application/json']);
      const target = { container: suite.fresh('silver'), key: 'a.json' };
      assert.deepEqual(await suite.store.copy(source, target), await suite.store.head(target));
      assert.equal(await text((await suite.store.get(target)).body), '{"a":1}');
      assert.equal(await text((await suite.store.get(source)).body), '{"a":1}', 'the source stays');
    });

    it('copy overwrites the target and refuses a missing source', async () => {
      const container = suite.fresh();
      await suite.store.put({ container, key: 'new' }, 'new content');
      await suite.store.put({ container, key: 'old' }, 'old');
      const copied = await suite.store.copy({ container, key: 'new' }, { container, key: 'old' });
      assert.equal(copied.size, 11);
      assert.equal(await text((await suite.store.get({ container, key: 'old' })).body), 'new content');
      await rejectsWith(suite.store.copy({ container, key: 'missing' }, { container, key: 'other' }), 'BLOB_NOT_FOUND');
      assert.equal(await suite.store.head({ container, key: 'other' }), null);
    });
  });
}
