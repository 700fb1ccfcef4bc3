import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import proj4 from 'proj4';
import { isMeridianError } from '@meridian/core';
import { parseCrs, transformer } from '../src/index.ts';

describe('CRS transforms', () => {
  it('the closed-form WGS84 ↔ Web Mercator agrees with proj4', () => {
    const forward = transformer('EPSG:4326', 'EPSG:3857');
    const inverse = transformer('EPSG:3857', 'EPSG:4326');
    for (const [lon, lat] of [[0, 0], [36.7, -1.2], [-122.4, 37.8], [179.9, 85], [10, -60]] as const) {
      const [x, y] = proj4('EPSG:4326', 'EPSG:3857', [lon, lat]) as [number, number];
      const [fx, fy] = forward(lon, lat);
      assert.ok(Math.abs(fx - x) < 1e-6 && Math.abs(fy - y) < 1e-6, `${lon},${lat}`);
      const [blon, blat] = inverse(x, y);
      assert.ok(Math.abs(blon - lon) < 1e-9 && Math.abs(blat - lat) < 1e-9);
    }
  });

  it('parses EPSG codes, URIs and CRS84; rejects what it cannot transform', () => {
    assert.equal(parseCrs('epsg:32633'), 'EPSG:32633');
    assert.equal(parseCrs('http://www.opengis.net/def/crs/EPSG/0/3857'), 'EPSG:3857');
    assert.equal(parseCrs('http://www.opengis.net/def/crs/OGC/1.3/CRS84'), 'EPSG:4326');
    const [x] = transformer('EPSG:4326', 'EPSG:32633')(15, 0);
    assert.ok(Math.abs(x - 500000) < 1e-6, 'UTM 33N central meridian');
    for (const bad of ['EPSG:9999', 'WGS84', 'EPSG:']) {
      assert.throws(() => parseCrs(bad), (e: unknown) => isMeridianError(e) && e.code === 'RASTER_CRS_UNSUPPORTED', bad);
    }
  });
});
