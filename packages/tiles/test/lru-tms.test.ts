import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMeridianError } from '@meridian/core';
import { LruCache, checkTile, tileBounds, tileMatrixSet, tileMatrixSetJson, zoomForResolution } from '../src/index.ts';

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

describe('tile matrix sets', () => {
  it('computes WebMercatorQuad and WorldCRS84Quad tile bounds', () => {
    const mercator = tileMatrixSet('WebMercatorQuad');
    assert.deepEqual(tileBounds(mercator, { z: 0, x: 0, y: 0 }).map(Math.round), [-20037508, -20037508, 20037508, 20037508]);
    const crs84 = tileMatrixSet('WorldCRS84Quad');
    assert.deepEqual(tileBounds(crs84, { z: 0, x: 1, y: 0 }), [0, -90, 180, 90]);
    assert.deepEqual(tileBounds(crs84, { z: 1, x: 0, y: 0 }), [-180, 0, -90, 90]);
    assert.equal(zoomForResolution(mercator, 156543.03392804097), 0);
    assert.equal(zoomForResolution(mercator, 30), 12);
  });

  it('rejects tiles outside the matrix and unknown sets', () => {
    const mercator = tileMatrixSet('WebMercatorQuad');
    for (const tile of [{ z: 25, x: 0, y: 0 }, { z: 1, x: 2, y: 0 }, { z: -1, x: 0, y: 0 }]) {
      assert.throws(() => checkTile(mercator, tile), (e: unknown) => isMeridianError(e) && e.code === 'TILE_OUT_OF_RANGE' && e.status === 404);
    }
    checkTile(tileMatrixSet('WorldCRS84Quad'), { z: 0, x: 1, y: 0 });
    assert.throws(() => tileMatrixSet('LINZAntarticaMapTilegrid'), (e: unknown) => isMeridianError(e) && e.code === 'TILE_MATRIX_SET_UNKNOWN');
  });

  it('documents each set as OGC TMS 2.0 JSON', () => {
    const json = tileMatrixSetJson(tileMatrixSet('WebMercatorQuad')) as { tileMatrices: Array<{ id: string; scaleDenominator: number; matrixWidth: number }> };
    assert.equal(json.tileMatrices[0]!.id, '0');
    assert.ok(Math.abs(json.tileMatrices[0]!.scaleDenominator - 559082264.0287178) < 1e-3);
    assert.equal(json.tileMatrices[3]!.matrixWidth, 8);
    const crs84 = tileMatrixSetJson(tileMatrixSet('WorldCRS84Quad')) as { tileMatrices: Array<{ matrixWidth: number; matrixHeight: number }> };
    assert.deepEqual([crs84.tileMatrices[0]!.matrixWidth, crs84.tileMatrices[0]!.matrixHeight], [2, 1]);
  });
});
