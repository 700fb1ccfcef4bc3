/**
 * The reader cross-checked against GDAL on the same COG files: point = gdallocationinfo, bbox =
 * gdal_translate -projwin, statistics = gdalinfo -stats, a WebMercatorQuad tile = gdalwarp -r near.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bandStatistics, bboxGrid, transformer, CogReader, CogSource, previewGrid, readData, tileBounds, tileGrid, tileMatrixSet, type RasterData,
} from '../src/index.ts';
import { createCogFixtures, gdal, gdalRaw as gdalRawIn, type CogFixtures } from './cog-fixtures.ts';

let fixtures: CogFixtures;
let reader: CogReader;

before(async () => {
  fixtures = await createCogFixtures();
  reader = new CogReader(fixtures.store);
});
after(() => fixtures.cleanup());

const gdalRaw = (tool: string, args: string[], name: string) => gdalRawIn(fixtures.dir, tool, args, name);

/** Fraction of pixels where both agree: equal values (within tolerance) or both nodata/masked. */
function agreement(data: RasterData, expected: Float64Array, nodata: number, tolerance = 1e-6): number {
  let same = 0;
  const count = data.width * data.height;
  for (let i = 0; i < count; i++) {
    const gdalValid = expected[i] !== nodata && expected[i] !== 0;
    if (!gdalValid && !data.mask[i]) same++;
    else if (gdalValid && data.mask[i] && Math.abs(expected[i]! - data.bands[0]![i]!) <= tolerance) same++;
  }
  return same / count;
}

describe('COG reads match GDAL', () => {
  it('point equals gdallocationinfo -valonly -wgs84, nodata aware', async () => {
    const source = new CogSource(await reader.open(fixtures.dem.ref));
    const toLonLat = transformer('EPSG:32633', 'EPSG:4326');
    // Pixel centres (and one pixel of the nodata last row) given in native metres, asked in lon/lat.
    for (const [column, row] of [[10, 10], [350, 300], [231, 462], [630, 120], [699, 599], [5, 599]] as const) {
      const [lon, lat] = toLonLat(400000 + (column + 0.5) * 30, 5100000 - (row + 0.5) * 30);
      const expected = Number((await gdal('gdallocationinfo', ['-valonly', '-wgs84', fixtures.dem.path, String(lon), String(lat)])).trim());
      const point = await source.point(lon, lat, 'EPSG:4326', {});
      assert.ok(point, `point ${lon},${lat} is inside`);
      if (expected === -9999) assert.equal(point.values[0], null, 'nodata is null');
      else assert.ok(Math.abs(point.values[0]! - expected) < 1e-3, `${point.values[0]} vs ${expected}`);
    }
    assert.equal(await source.point(0, 0, 'EPSG:4326', {}), null, 'outside the raster');
  });

  it('point on the JPEG RGB COG is within JPEG decoder rounding of gdallocationinfo', async () => {
    const source = new CogSource(await reader.open(fixtures.rgbJpeg.ref));
    const lon = 36.7 + 350e-4, lat = -1.2 - 300e-4 + 0.5e-4;
    const expected = (await gdal('gdallocationinfo', ['-valonly', '-wgs84', fixtures.rgbJpeg.path, String(lon), String(lat)])).trim().split(/\s+/).map(Number);
    const point = await source.point(lon, lat, 'EPSG:4326', {});
    assert.ok(point);
    point.values.forEach((value, b) => assert.ok(Math.abs(value! - expected[b]!) <= 2, `band ${b + 1}: ${value} vs ${expected[b]}`));
  });

  it('bbox on pixel edges equals gdal_translate -projwin', async () => {
    const source = new CogSource(await reader.open(fixtures.dem.ref));
    const bbox: [number, number, number, number] = [403000, 5082000 + 30 * 3, 415000, 5098500];
    const grid = bboxGrid(await source.frame(), bbox, { coordCrs: 'EPSG:32633', dstCrs: 'EPSG:32633' });
    assert.deepEqual([grid.width, grid.height], [400, 547]);
    const data = await readData(source, grid, { returnMask: true });
    const expected = await gdalRaw('gdal_translate', ['-projwin', String(bbox[0]), String(bbox[3]), String(bbox[2]), String(bbox[1]), fixtures.dem.path], 'bbox');
    assert.equal(agreement(data, expected, -9999), 1);
  });

  it('statistics equal gdalinfo -stats', async () => {
    const source = new CogSource(await reader.open(fixtures.dem.ref));
    const data = await readData(source, previewGrid(await source.frame(), {}), { returnMask: true });
    const stats = bandStatistics(data).b1!;
    const json = JSON.parse(await gdal('gdalinfo', ['-json', '-stats', fixtures.dem.path])) as { bands: Array<{ minimum: number; maximum: number; mean: number; stdDev: number }> };
    const band = json.bands[0]!;
    assert.ok(Math.abs(stats.min! - band.minimum) < 1e-3);
    assert.ok(Math.abs(stats.max! - band.maximum) < 1e-3);
    assert.ok(Math.abs(stats.mean! - band.mean) < 1e-3, `${stats.mean} vs ${band.mean}`);
    assert.ok(Math.abs(stats.std! - band.stdDev) < 1e-3, `${stats.std} vs ${band.stdDev}`);
    assert.equal(stats.valid_pixels, 700 * 599);
    assert.equal(stats.masked_pixels, 700);
  });

  for (const tmsId of ['WebMercatorQuad', 'WorldCRS84Quad'] as const) {
    it(`a ${tmsId} tile equals gdalwarp -r near for >= 99% of pixels`, async () => {
      const tms = tileMatrixSet(tmsId);
      const source = new CogSource(await reader.open(fixtures.dem.ref));
      const [west, south, east, north] = (await source.info()).bounds;
      const lon = (west + east) / 2, lat = (south + north) / 2;
      const z = 13;
      const span = tms.tileSpan0 / 2 ** z;
      const [mx, my] = tmsId === 'WebMercatorQuad' ? [lon * 20037508.342789244 / 180, Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) * 6378137] : [lon, lat];
      const tile = { z, x: Math.floor((mx - tms.origin[0]) / span), y: Math.floor((tms.origin[1] - my) / span) };
      const grid = tileGrid(tms, tile, (await source.info()).bounds);
      const data = await readData(source, grid, { returnMask: true });
      const te = tileBounds(tms, tile).map(String);
      const expected = await gdalRaw('gdalwarp', ['-t_srs', tms.crs, '-te', ...te, '-ts', '256', '256', '-r', 'near', fixtures.dem.path], `tile-${tmsId}`);
      const share = agreement(data, expected, -9999);
      assert.ok(share >= 0.99, `${(share * 100).toFixed(2)}% of pixels agree`);
    });
  }
});
