import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { rejectsWith, type Conformance } from './support.ts';

/** The key and container rules, enforced identically by every adapter and every method. */
export function nameTests(suite: Conformance): void {
  describe('keys and containers', () => {
    it('accepts unicode and URL-special characters in keys', async () => {
      const container = suite.fresh();
      const keys = ['données/été 2024/naïve ✓.txt', '日本語/ファイル.tif', '🌍/map #1?.geojson', 'a+b=c&d;e%20f', "sp ace/'quote'"];
      for (const key of keys) await suite.store.put({ container, key }, key);
      for (const key of keys) assert.equal(await text((await suite.store.get({ container, key })).body), key);
      const listed = (await suite.store.list(container)).items.map((item) => item.key);
      assert.deepEqual([...listed].sort(), [...keys].sort());
    });

    it('accepts nested keys and a key of exactly 1024 characters', async () => {
      const container = suite.fresh();
      const nested = { container, key: 'a/b/c/d/e.txt' };
      await suite.store.put(nested, 'deep');
      assert.equal(await text((await suite.store.get(nested)).body), 'deep');
      const long = Array.from({ length: 10 }, (_, i) => String(i).repeat(100)).join('/') + '/' + 'z'.repeat(14);
      assert.equal(long.length, 1024);
      await suite.store.put({ container, key: long }, 'long');
      assert.equal((await suite.store.head({ container, key: long }))?.size, 4);
    });

    const badKeys = ['../x', 'a/../../b', '/abs', 'a\\b', 'a\u0000b', 'x'.repeat(1025), 'a//b', '', '.', 'a/./b', 'a/', 'a\u001fb', 'a\u007fb', 'bad\uD800'];
    it('refuses keys that are not safe relative paths with INVALID_BLOB_KEY', async () => {
      const container = suite.fresh();
      await suite.store.put({ container, key: 'ok' }, 'x');
      for (const key of badKeys) {
        const ref = { container, key };
        await rejectsWith(suite.store.put(ref, 'x'), 'INVALID_BLOB_KEY', key);
        await rejectsWith(suite.store.get(ref), 'INVALID_BLOB_KEY', key);
        await rejectsWith(suite.store.head(ref), 'INVALID_BLOB_KEY', key);
        await rejectsWith(suite.store.readRange(ref, 0, 1), 'INVALID_BLOB_KEY', key);
        await rejectsWith(suite.store.delete(ref), 'INVALID_BLOB_KEY', key);
        await rejectsWith(suite.store.copy({ container, key: 'ok' }, ref), 'INVALID_BLOB_KEY', key);
      }
      for (const prefix of ['../', 'a/../', '/abs', 'a\\', 'a//']) {
        await rejectsWith(suite.store.list(container, { prefix }), 'INVALID_BLOB_KEY', prefix);
        await rejectsWith(suite.store.deletePrefix(container, prefix), 'INVALID_BLOB_KEY', prefix);
      }
      assert.deepEqual((await suite.store.list(container)).items.map((item) => item.key), ['ok']);
    });

    const badContainers = ['Bronze-x', 'ab', 'bronze_x', 'other-x', `bronze-${'x'.repeat(57)}`, 'bronze--x', 'bronze-x-', 'bronze-', 'silver', '-bronze-x'];
    it('refuses container names outside the Azure rules and zones with INVALID_CONTAINER_NAME', async () => {
      for (const container of badContainers) {
        const ref = { container, key: 'k' };
        await rejectsWith(suite.store.put(ref, 'x'), 'INVALID_CONTAINER_NAME', container);
        await rejectsWith(suite.store.head(ref), 'INVALID_CONTAINER_NAME', container);
        await rejectsWith(suite.store.list(container), 'INVALID_CONTAINER_NAME', container);
        await rejectsWith(suite.store.deletePrefix(container, ''), 'INVALID_CONTAINER_NAME', container);
      }
      const longest = `silver-${'x'.repeat(56)}`;
      assert.equal(longest.length, 63);
      assert.equal((await suite.store.put({ container: longest, key: 'k' }, 'x')).size, 1);
      assert.ok(!(await suite.store.listContainers()).some((name) => badContainers.includes(name)));
    });
  });
}
