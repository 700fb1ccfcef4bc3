import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allPages, rejectsWith, type Conformance } from './support.ts';

/** Listing: order, prefixes, delimiters and page tokens, matching Azure. */
export function listingTests(suite: Conformance): void {
  describe('list', () => {
    it('pages through 25 blobs 10 at a time: 3 pages, sorted, no duplicates', async () => {
      const container = suite.fresh();
      const keys = Array.from({ length: 25 }, (_, i) => `page/item-${String(i).padStart(2, '0')}`);
      await Promise.all([...keys, 'other/x', 'pagex'].map((key) => suite.store.put({ container, key }, key)));
      const pages = await allPages(suite.store, container, { prefix: 'page/', limit: 10 });
      assert.deepEqual(pages.map((page) => page.items.length), [10, 10, 5]);
      assert.deepEqual(pages.flatMap((page) => page.items.map((item) => item.key)), keys);
      assert.equal(pages.at(-1)?.nextToken, null);
    });

    it('lists items with the same details head reports', async () => {
      const container = suite.fresh();
      await suite.store.put({ container, key: 'a' }, 'abc', { contentType: 'text/csv' });
      const [item] = (await suite.store.list(container)).items;
      assert.deepEqual(item, await suite.store.head({ container, key: 'a' }));
    });

    it('sorts keys by code point, folders among files as their keys sort', async () => {
      const container = suite.fresh();
      const keys = ['a0', 'a/b', 'a-c', 'a.txt', 'a/a/z', 'B', 'é'];
      await Promise.all(keys.map((key) => suite.store.put({ container, key }, key)));
      const listed = (await suite.store.list(container)).items.map((item) => item.key);
      assert.deepEqual(listed, ['B', 'a-c', 'a.txt', 'a/a/z', 'a/b', 'a0', 'é']);
    });

    it('with delimiter "/" returns the blobs and folders directly under the prefix', async () => {
      const container = suite.fresh();
      const keys = ['d/a.txt', 'd/b/1', 'd/b/2', 'd/c/x/y', 'd/e.txt', 'top.txt', 'dz'];
      await Promise.all(keys.map((key) => suite.store.put({ container, key }, key)));
      const under = await suite.store.list(container, { prefix: 'd/', delimiter: '/' });
      assert.deepEqual(under.items.map((item) => item.key), ['d/a.txt', 'd/e.txt']);
      assert.deepEqual(under.prefixes, ['d/b/', 'd/c/']);
      const top = await suite.store.list(container, { delimiter: '/' });
      assert.deepEqual(top.items.map((item) => item.key), ['dz', 'top.txt']);
      assert.deepEqual(top.prefixes, ['d/']);
      const partial = await suite.store.list(container, { prefix: 'd/b', delimiter: '/' });
      assert.deepEqual([partial.items.length, partial.prefixes], [0, ['d/b/']]);
      const flat = await suite.store.list(container, { prefix: 'd/c' });
      assert.deepEqual(flat.items.map((item) => item.key), ['d/c/x/y']);
      assert.deepEqual(flat.prefixes, []);
    });

    it('pages with a delimiter without losing or repeating entries', async () => {
      const container = suite.fresh();
      const keys = ['f/1', 'f/2', 'g', 'h/1', 'i', 'j/k/l', 'm', 'n/1', 'o', 'p/q'];
      await Promise.all(keys.map((key) => suite.store.put({ container, key }, key)));
      const pages = await allPages(suite.store, container, { delimiter: '/', limit: 3 });
      const seen = pages.flatMap((page) => [...page.items.map((item) => item.key), ...page.prefixes]).sort();
      assert.deepEqual(seen, ['f/', 'g', 'h/', 'i', 'j/', 'm', 'n/', 'o', 'p/']);
      assert.ok(pages.every((page) => page.items.length + page.prefixes.length <= 3));
    });

    it('keeps tokens valid while blobs are added and removed', async () => {
      const container = suite.fresh();
      await Promise.all(['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((key) => suite.store.put({ container, key }, key)));
      const first = await suite.store.list(container, { limit: 3 });
      assert.ok(first.nextToken !== null);
      await suite.store.delete({ container, key: 'k3' });
      await suite.store.put({ container, key: 'k0' }, 'late');
      const second = await suite.store.list(container, { limit: 3, token: first.nextToken });
      assert.deepEqual(second.items.map((item) => item.key), ['k4', 'k5', 'k6']);
      assert.equal(second.nextToken, null);
    });

    it('lists a container that was never written to as empty', async () => {
      assert.deepEqual(await suite.store.list(suite.fresh()), { items: [], prefixes: [], nextToken: null });
    });

    it('refuses a page limit outside 1..5000', async () => {
      const container = suite.fresh();
      await rejectsWith(suite.store.list(container, { limit: 0 }), 'VALIDATION_ERROR');
      await rejectsWith(suite.store.list(container, { limit: 5001 }), 'VALIDATION_ERROR');
    });

    it('lists containers, sorted, across zones', async () => {
      const silver = suite.fresh('silver');
      const external = suite.fresh('external');
      await suite.store.put({ container: silver, key: 'k' }, 'x');
      await suite.store.put({ container: external, key: 'k' }, 'x');
      const names = await suite.store.listContainers();
      assert.ok(names.includes(silver) && names.includes(external));
      assert.deepEqual(names, [...names].sort());
    });
  });
}
