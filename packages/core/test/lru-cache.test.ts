import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from '../src/index.ts';

describe('LRU cache', () => {
  it('stays within its weight, evicting the least recently used', () => {
    const cache = new LruCache<string, Uint8Array>(100, (v) => v.byteLength);
    cache.set('a', new Uint8Array(40));
    cache.set('b', new Uint8Array(40));
    cache.get('a');
    cache.set('c', new Uint8Array(40));
    assert.ok(cache.weight <= 100);
    assert.deepEqual([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined], [true, false, true]);
    cache.set('huge', new Uint8Array(500));
    assert.equal(cache.get('huge'), undefined, 'an entry over the limit is not kept');
    assert.equal(cache.size, 2);
  });

  it('loads a missing key once for concurrent callers and does not cache failures', async () => {
    const cache = new LruCache<string, number>(10);
    let loads = 0;
    const load = async () => { loads++; await new Promise((r) => setTimeout(r, 5)); return 42; };
    assert.deepEqual(await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]), [42, 42]);
    assert.equal(loads, 1);
    await assert.rejects(cache.getOrLoad('bad', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await cache.getOrLoad('bad', async () => 7), 7);
  });
});
