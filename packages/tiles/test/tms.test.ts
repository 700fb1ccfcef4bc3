import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMeridianError } from '@meridian/core';
import { checkTile, tileBounds, tileMatrixSet, tileMatrixSetJson, zoomForResolution } from '../src/index.ts';

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
