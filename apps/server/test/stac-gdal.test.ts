/**
 * An independent client: GDAL's STACIT driver reads our item search (following its next links) from a
 * real listening server, builds a mosaic of the items' COG assets and reads their pixels through the
 * storage API's range requests.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXTENSION_URIS, storageHref } from '@meridian/stac';
import { collectionDoc } from '../../../packages/stac/test/support.ts';
import { createTestApp, type TestApp } from './support.ts';

const run = promisify(execFile);
const PROJECTION_V1 = 'https://stac-extensions.github.io/projection/v1.1.0/schema.json';

/** A 64×64 one-band COG covering [west, west+1] × [0, 1] in EPSG:4326, every pixel `value`. */
async function cog(dir: string, name: string, west: number, value: number): Promise<string> {
  const plain = join(dir, `${name}-plain.tif`);
  const path = join(dir, `${name}.tif`);
  await run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '64', '64', '-bands', '1', '-ot', 'Byte', '-burn', String(value), '-a_srs', 'EPSG:4326', '-a_ullr', String(west), '1', String(west + 1), '0', plain]);
  await run('gdal_translate', ['-q', '-of', 'COG', plain, path]);
  return path;
}

describe('GDAL STACIT reads the STAC item search of a listening server', () => {
  let t: TestApp;
  let dir: string;
  let base: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meridian-stacit-'));
    t = await createTestApp({ kind: 'pglite' });
    base = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    await t.app.inject({ method: 'POST', url: '/api/stac/collections', payload: collectionDoc('tiles') });
    const features = [];
    for (const [i, value] of [10, 20, 30].entries()) {
      const key = `tiles/t${i}.tif`;
      await t.runtime.store.put({ container: 'silver-stacit', key }, createReadStream(await cog(dir, `t${i}`, i, value)));
      features.push({
        type: 'Feature',
        stac_version: '1.0.0',
        stac_extensions: [PROJECTION_V1, EXTENSION_URIS.raster],
        id: `t${i}`,
        geometry: { type: 'Polygon', coordinates: [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]] },
        bbox: [i, 0, i + 1, 1],
        properties: { datetime: `2021-01-0${i + 1}T00:00:00Z`, 'proj:epsg': 4326, 'proj:shape': [64, 64], 'proj:transform': [1 / 64, 0, i, 0, -1 / 64, 1] },
        links: [],
        assets: {
          data: {
            href: storageHref(base, 'silver-stacit', key),
            type: 'image/tiff; application=geotiff; profile=cloud-optimized',
            roles: ['data'],
            'raster:bands': [{ data_type: 'uint8' }],
          },
        },
      });
    }
    const created = await t.app.inject({ method: 'POST', url: '/api/stac/collections/tiles/items', payload: { type: 'FeatureCollection', features } });
    assert.equal(created.statusCode, 201, created.body);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('mosaics every page of the search and reads the pixels', async () => {
    // limit=1 makes GDAL follow two next links to see all three items.
    const url = `${base}/api/stac/search?collections=tiles&limit=1`;
    const { stdout } = await run('gdalinfo', ['-json', '-stats', `STACIT:"${url}":asset=data`]);
    const info = JSON.parse(stdout) as { size: number[]; cornerCoordinates: Record<string, number[]>; bands: { minimum: number; maximum: number; mean: number }[] };
    assert.deepEqual(info.size, [192, 64]);
    assert.deepEqual(info.cornerCoordinates.upperLeft, [0, 1]);
    assert.deepEqual(info.cornerCoordinates.lowerRight, [3, 0]);
    assert.equal(info.bands[0]!.minimum, 10);
    assert.equal(info.bands[0]!.maximum, 30);
    assert.equal(info.bands[0]!.mean, 20);
  });

  it('applies the search parameters GDAL passes through', async () => {
    const url = `${base}/api/stac/search?collections=tiles&bbox=1.2,0.2,2.8,0.8`;
    const { stdout } = await run('gdalinfo', ['-json', '-stats', `STACIT:"${url}":asset=data`]);
    const info = JSON.parse(stdout) as { size: number[]; bands: { minimum: number; maximum: number }[] };
    assert.deepEqual(info.size, [128, 64]);
    assert.deepEqual([info.bands[0]!.minimum, info.bands[0]!.maximum], [20, 30]);
  });
});
