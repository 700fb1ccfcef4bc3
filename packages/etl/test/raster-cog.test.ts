/**
 * What process_raster writes, checked against GDAL itself: every COG passes GDAL's validator; the
 * lossless tiers hold exactly the source's pixels; statistics and histograms equal `gdalinfo -stats
 * -hist` of the source; metadata rows are complete; STAC items validate against the STAC schemas and
 * point at the COG, the thumbnail and the raster API.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Value } from 'typebox/value';
import { getCollection, getItem, validateStac, type StacItem } from '@meridian/stac';
import { readBandBytes } from '../../../fixtures/raster-fixtures.ts';
import { processRasterParameters, type ProcessRasterParameters } from '../src/raster/parameters.ts';
import { processRaster, type ProcessRasterResult } from '../src/raster/process-raster-task.ts';
import { getRasterMetadata } from '../src/raster/metadata-repository.ts';
import { COG_MEDIA_TYPE } from '../src/raster/stac-item.ts';
import type { RasterMetadata } from '../src/raster/raster-metadata.ts';
import { BRONZE, cogValidator, gdalJson, rasterTestEnv, taskContext, upload, type RasterTestEnv } from './raster-support.ts';

function parameters(blobName: string, extra: Partial<ProcessRasterParameters> = {}): ProcessRasterParameters {
  return Value.Default(processRasterParameters, { container_name: BRONZE, blob_name: blobName, ...extra }) as ProcessRasterParameters;
}

describe('raster ETL: COG outputs', () => {
  let t: RasterTestEnv;
  const cogPath = (m: RasterMetadata) => t.store.localPath!({ container: m.container, key: m.blobPath });
  const sourcePath = (key: string) => t.store.localPath!({ container: BRONZE, key });

  async function processed(p: ProcessRasterParameters): Promise<{ result: ProcessRasterResult; metadata: RasterMetadata[] }> {
    const { ctx } = taskContext();
    const result = await processRaster(t.deps, p, 0, ctx);
    const metadata = await Promise.all(result.item_ids.map(async (id) => (await getRasterMetadata(t.testDb.db, p.collection_id, id))!));
    return { result, metadata };
  }

  async function assertValidCog(m: RasterMetadata): Promise<void> {
    const { valid, output } = await cogValidator(cogPath(m));
    assert.ok(valid, `${m.itemId}: ${output}`);
    assert.deepEqual(m.blockSize, [512, 512]);
  }

  /** Every band, byte for byte, as GDAL decodes it. */
  async function assertSamePixels(cog: string, source: string, bands: number): Promise<void> {
    for (let b = 1; b <= bands; b++) {
      assert.ok((await readBandBytes(cog, b)).equals(await readBandBytes(source, b)), `band ${b} differs from the source`);
    }
  }

  /** Statistics and histograms equal gdalinfo's own on the source. */
  async function assertSourceStatistics(m: RasterMetadata, source: string): Promise<void> {
    const expected = await gdalJson(source, '-stats', '-hist');
    m.bands.forEach((band, i) => {
      const e = expected.bands[i]!;
      const s = band.statistics!;
      assert.equal(s.minimum, e.minimum, `band ${i + 1} minimum`);
      assert.equal(s.maximum, e.maximum, `band ${i + 1} maximum`);
      assert.ok(Math.abs(s.mean - e.mean!) < 1e-9 * Math.max(1, Math.abs(e.mean!)), `band ${i + 1} mean ${s.mean} vs ${e.mean}`);
      assert.ok(Math.abs(s.stddev - e.stdDev!) < 1e-9 * Math.max(1, e.stdDev!), `band ${i + 1} stddev`);
      assert.deepEqual(s.histogram!.buckets, e.histogram!.buckets, `band ${i + 1} histogram`);
    });
  }

  async function storedItem(m: RasterMetadata): Promise<StacItem> {
    const stored = await getItem(t.testDb.db, m.collectionId, m.itemId, 'reviewer');
    assert.ok(stored, `no STAC item ${m.itemId}`);
    validateStac('item', stored.item);
    return stored.item;
  }

  before(async () => {
    t = await rasterTestEnv();
    const f = t.fixtures;
    await Promise.all([
      upload(t.store, f.rgb, 'imagery/rgb.tif'),
      upload(t.store, f.multispectralInt16, 'imagery/multispectral.tif'),
      upload(t.store, f.demUtm, 'terrain/dem.tif'),
      upload(t.store, f.categorical, 'landcover.tif'),
      upload(t.store, f.gcpOnly, 'gcp-only.tif'),
    ]);
  });
  after(() => t.close());

  it('RGB, all tiers: valid COGs, lossless analysis and archive, JPEG YCbCr visualization', async () => {
    const { result, metadata } = await processed(parameters('imagery/rgb.tif', { output_tier: 'all' }));
    assert.deepEqual(result.item_ids, ['rgb', 'rgb-visualization', 'rgb-archive']);
    assert.equal(result.raster_type, 'rgb');
    const [analysis, visualization, archive] = metadata as [RasterMetadata, RasterMetadata, RasterMetadata];
    for (const m of metadata) await assertValidCog(m);
    assert.deepEqual([analysis.compression, analysis.predictor], ['DEFLATE', 2]);
    assert.deepEqual([archive.compression, archive.predictor], ['LZW', 2]);
    assert.equal(visualization.compression, 'YCbCr JPEG');
    await assertSamePixels(cogPath(analysis), sourcePath('imagery/rgb.tif'), 3);
    await assertSamePixels(cogPath(archive), sourcePath('imagery/rgb.tif'), 3);
    await assertSourceStatistics(analysis, sourcePath('imagery/rgb.tif'));
    // JPEG is lossy: its statistics are its own, close to the source's.
    const jpegMean = visualization.bands[0]!.statistics!.mean;
    assert.ok(Math.abs(jpegMean - analysis.bands[0]!.statistics!.mean) < 2, `JPEG mean ${jpegMean}`);
    assert.deepEqual(analysis.overviews, [{ width: 300, height: 200 }]);
    assert.deepEqual(analysis.bands.map((b) => b.colorInterpretation), ['Red', 'Green', 'Blue']);
    assert.equal(analysis.crs.epsg, 4326);
    assert.match(analysis.crs.wkt2, /^GEOGCRS\["WGS 84"/);
    assert.equal(analysis.crs.projjson?.type, 'GeographicCRS');
    assert.deepEqual(analysis.bboxWgs84.map((v) => Number(v.toFixed(6))), [36.7, -1.24, 36.76, -1.2]);
    assert.deepEqual(analysis.resolution, [1e-4, 1e-4]);
    // The file's TIFF DateTime tag.
    assert.deepEqual([analysis.datetime, analysis.datetimeSource], ['2023-06-15T10:30:00.000Z', 'file']);
    assert.deepEqual(analysis.source, { container: BRONZE, blobName: 'imagery/rgb.tif', sizeBytes: analysis.source.sizeBytes, etag: analysis.source.etag });

    const item = await storedItem(analysis);
    const data = (item.assets as Record<string, Record<string, unknown>>).data!;
    assert.equal(data.type, COG_MEDIA_TYPE);
    assert.deepEqual(data.roles, ['data']);
    assert.equal(data.href, `http://meridian.test/api/storage/silver-rasters/${analysis.blobPath}`);
    assert.deepEqual((data['eo:bands'] as { common_name: string }[]).map((b) => b.common_name), ['red', 'green', 'blue']);
    assert.equal((data['raster:bands'] as { data_type: string }[])[0]!.data_type, 'uint8');
    assert.equal(item.properties['proj:code'], 'EPSG:4326');
    assert.deepEqual(item.properties['proj:shape'], [400, 600]);
    assert.deepEqual(((await storedItem(visualization)).assets as Record<string, { roles: string[] }>).data!.roles, ['visual']);
    const links = item.links as { rel: string; href: string }[];
    assert.equal(links.find((l) => l.rel === 'tilejson')?.href, 'http://meridian.test/api/raster/collections/system-rasters/items/rgb/tilejson.json');
    assert.equal(links.find((l) => l.rel === 'preview')?.href, 'http://meridian.test/api/raster/collections/system-rasters/items/rgb/preview');
    const thumbnail = (item.assets as Record<string, { href: string; type: string }>).thumbnail!;
    assert.equal(thumbnail.type, 'image/png');
    const png = await readFile(t.store.localPath!({ container: 'silver-rasters', key: result.outputs[0]!.thumbnail_path }));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');

    const collection = await getCollection(t.testDb.db, 'system-rasters', 'reviewer');
    const extent = collection!.collection.extent as { spatial: { bbox: number[][] } };
    assert.deepEqual(extent.spatial.bbox[0]!.map((v) => Number(v.toFixed(6))), [36.7, -1.24, 36.76, -1.2]);
  });

  it('8-band Int16 with nodata −32768: lossless, nodata stamped, statistics without nodata', async () => {
    const { metadata: [m] } = await processed(parameters('imagery/multispectral.tif'));
    await assertValidCog(m!);
    assert.equal(m!.rasterType, 'multispectral');
    assert.equal(m!.bandCount, 8);
    assert.ok(m!.bands.every((b) => b.nodata === -32768 && b.dataType === 'Int16'));
    await assertSamePixels(cogPath(m!), sourcePath('imagery/multispectral.tif'), 8);
    await assertSourceStatistics(m!, sourcePath('imagery/multispectral.tif'));
    assert.ok(m!.bands[0]!.statistics!.validPercent < 100);
    const item = await storedItem(m!);
    const bands = (item.assets as Record<string, Record<string, unknown>>).data!['raster:bands'] as { nodata: number; data_type: string }[];
    assert.deepEqual([bands[0]!.nodata, bands[0]!.data_type], [-32768, 'int16']);
    assert.equal(item.properties['proj:code'], 'EPSG:32737');
  });

  it('Float32 DEM in UTM: predictor 3, CRS kept, WGS84 bbox from the edges, submission datetime', async () => {
    const { metadata: [m] } = await processed(parameters('terrain/dem.tif', { datetime: '2020-02-03T04:05:06Z', title: 'Hills' }));
    await assertValidCog(m!);
    assert.equal(m!.rasterType, 'dem');
    assert.deepEqual([m!.compression, m!.predictor], ['DEFLATE', 3]);
    assert.equal(m!.crs.epsg, 32633);
    assert.equal(m!.crs.projjson?.type, 'ProjectedCRS');
    assert.deepEqual(m!.bboxNative, [400000, 5091000, 412000, 5100000]);
    const [west, south, east, north] = m!.bboxWgs84;
    assert.ok(west < 13.7075 && east > 13.864 && south < 45.9653 && north > 46.0479, `bbox ${m!.bboxWgs84}`);
    await assertSamePixels(cogPath(m!), sourcePath('terrain/dem.tif'), 1);
    await assertSourceStatistics(m!, sourcePath('terrain/dem.tif'));
    assert.deepEqual([m!.datetime, m!.datetimeSource], ['2020-02-03T04:05:06.000Z', 'submission']);
    assert.equal(m!.mask, 'nodata');
    const item = await storedItem(m!);
    assert.equal(item.properties.title, 'Hills');
    assert.ok(!item.stac_extensions!.toString().includes('/eo/'), 'a DEM is not imagery');
  });

  it('target_crs reprojects with the type\'s resampling; statistics then describe the COG', async () => {
    const { result, metadata: [m] } = await processed(parameters('terrain/dem.tif', { item_id: 'dem-wgs84', target_crs: 'EPSG:4326' }));
    assert.equal(result.warped, true);
    await assertValidCog(m!);
    assert.equal(m!.crs.epsg, 4326);
    assert.equal(m!.bands[0]!.nodata, -9999);
    const own = await gdalJson(cogPath(m!), '-stats');
    assert.equal(m!.bands[0]!.statistics!.minimum, own.bands[0]!.minimum);
    assert.equal(m!.bands[0]!.statistics!.maximum, own.bands[0]!.maximum);
  });

  it('a raster georeferenced by ground control points only is warped onto a grid in their CRS', async () => {
    const { result, metadata: [m] } = await processed(parameters('gcp-only.tif'));
    assert.equal(result.warped, true);
    await assertValidCog(m!);
    assert.equal(m!.crs.epsg, 4326);
    const [west, south, east, north] = m!.bboxWgs84;
    assert.ok(Math.abs(west - 10) < 0.05 && Math.abs(south - 49) < 0.05 && Math.abs(east - 11.1) < 0.05 && Math.abs(north - 50.1) < 0.05, `bbox ${m!.bboxWgs84}`);
  });

  it('categorical: mode overviews keep the classes', async () => {
    const { metadata: [m] } = await processed(parameters('landcover.tif'));
    assert.equal(m!.rasterType, 'categorical');
    assert.deepEqual(m!.overviews, [{ width: 512, height: 512 }]);
    await assertValidCog(m!);
    const overview = await gdalJson(cogPath(m!), '-hist', '-oo', 'OVERVIEW_LEVEL=0');
    const values = overview.bands[0]!.histogram!.buckets.flatMap((count, value) => (count > 0 ? [value] : []));
    assert.ok(values.every((v) => v >= 1 && v <= 6), `overview values ${values}`);
  });
});

describe('raster ETL on the embedded database (PGlite)', () => {
  let t: RasterTestEnv;
  before(async () => {
    t = await rasterTestEnv({}, 'pglite');
    await upload(t.store, t.fixtures.demUtm, 'dem.tif');
  });
  after(() => t.close());

  it('publishes and reads back the same typed metadata', async () => {
    const { ctx } = taskContext();
    const result = await processRaster(t.deps, parameters('dem.tif'), 0, ctx);
    const m = await getRasterMetadata(t.testDb.db, 'system-rasters', result.stac_item_id);
    assert.equal(m?.crs.epsg, 32633);
    assert.equal(m?.bands[0]?.nodata, -9999);
    assert.equal(m?.footprintWgs84.length, 65);
    validateStac('item', (await getItem(t.testDb.db, 'system-rasters', 'dem', 'reviewer'))!.item);
  });
});
