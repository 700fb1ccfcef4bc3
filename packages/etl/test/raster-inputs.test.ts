/**
 * The catalogue of bad inputs: each fails the task with its error code, and leaves nothing behind — no
 * blob in the silver zone, no metadata row, no STAC item, no work directory. Plus raster type detection
 * and the user-given raster_type / crs / tier checks.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { Value } from 'typebox/value';
import { MeridianError, type ErrorCode } from '@meridian/core';
import { processRasterParameters, type ProcessRasterParameters } from '../src/raster/parameters.ts';
import { processRaster } from '../src/raster/process-raster-task.ts';
import { detectRasterType, type RasterShape } from '../src/raster/raster-type.ts';
import { workDirRoot } from '../src/raster/work-dir.ts';
import { BRONZE, SILVER, allKeys, catalogCounts, rasterTestEnv, taskContext, upload, type RasterTestEnv } from './raster-support.ts';

function parameters(blobName: string, extra: Partial<ProcessRasterParameters> = {}): ProcessRasterParameters {
  return Value.Default(processRasterParameters, { container_name: BRONZE, blob_name: blobName, ...extra }) as ProcessRasterParameters;
}

describe('raster ETL: bad inputs', () => {
  let t: RasterTestEnv;
  before(async () => {
    t = await rasterTestEnv();
    const f = t.fixtures;
    await Promise.all(Object.entries({
      'zero-byte.tif': f.zeroByte, 'truncated.tif': f.truncated, 'garbage.tif': f.garbage, 'error-page.tif': f.html,
      'picture.tif': f.pngNamedTif, 'raster.jpg': f.tifNamedJpg, 'no-crs.tif': f.noCrs, 'no-georeference.tif': f.noGeoreference,
      'int64.tif': f.int64, 'extreme-values.tif': f.extremeValues, 'dem.tif': f.demUtm, 'landcover.tif': f.categorical,
    }).map(([key, path]) => upload(t.store, path, key)));
  });
  after(() => t.close());

  async function expectFailure(p: ProcessRasterParameters, code: ErrorCode): Promise<MeridianError> {
    const { ctx } = taskContext();
    const error = await processRaster(t.deps, p, 0, ctx).then(() => assert.fail(`${p.blob_name} was accepted`), (e: unknown) => e);
    assert.ok(error instanceof MeridianError, `${p.blob_name}: ${String(error)}`);
    assert.equal(error.code, code, `${p.blob_name}: ${error.message}`);
    assert.equal(error.spec.userFixable, true, `${code} must fail the job at once`);
    // Nothing left behind.
    assert.deepEqual(await allKeys(t.store, SILVER), [], `${p.blob_name} left blobs`);
    assert.deepEqual(await catalogCounts(t.testDb.db), { metadata: 0, items: 0 }, `${p.blob_name} left rows`);
    assert.deepEqual(await readdir(workDirRoot(t.home)).catch(() => []), [], `${p.blob_name} left its work directory`);
    return error;
  }

  const cases: [string, ErrorCode, RegExp][] = [
    ['zero-byte.tif', 'CORRUPTED_FILE', /empty/],
    ['truncated.tif', 'CORRUPTED_FILE', /TIFFRead|IReadBlock/],
    ['garbage.tif', 'CORRUPTED_FILE', /not recognized/],
    ['error-page.tif', 'CORRUPTED_FILE', /not recognized/],
    ['picture.tif', 'CORRUPTED_FILE', /PNG file, not a GeoTIFF/],
    ['raster.jpg', 'UNSUPPORTED_FILE_FORMAT', /not a GeoTIFF name/],
    ['no-crs.tif', 'CRS_MISSING', /no coordinate reference system/],
    ['no-georeference.tif', 'RASTER_NOT_GEOREFERENCED', /neither a geotransform nor ground control points/],
    ['int64.tif', 'UNSUPPORTED_DATA_TYPE', /Int64/],
    ['extreme-values.tif', 'EXTREME_VALUES', /3\.4028/],
    ['missing.tif', 'FILE_NOT_FOUND', /no blob "missing.tif"/],
  ];
  for (const [name, code, message] of cases) {
    it(`${name} → ${code}`, async () => {
      const error = await expectFailure(parameters(name), code);
      assert.match(error.message, message);
    });
  }

  it('an input larger than MERIDIAN_RASTER_MAX_INPUT_BYTES → INPUT_TOO_LARGE', async () => {
    const config = { ...t.config, raster: { ...t.config.raster, maxInputBytes: 1000 } };
    const { ctx } = taskContext();
    await assert.rejects(processRaster({ ...t.deps, config }, parameters('dem.tif'), 0, ctx), { code: 'INPUT_TOO_LARGE' });
  });

  it('a raster_type the data cannot be → RASTER_TYPE_MISMATCH naming what it looks like', async () => {
    const error = await expectFailure(parameters('dem.tif', { raster_type: 'rgb' }), 'RASTER_TYPE_MISMATCH');
    assert.match(error.message, /1 band\(s\), rgb needs 3.*looks like "dem"/);
    await expectFailure(parameters('dem.tif', { raster_type: 'categorical' }), 'RASTER_TYPE_MISMATCH');
  });

  it('the visualization tier alone for a non-RGB raster → RASTER_TIER_UNSUPPORTED', async () => {
    await expectFailure(parameters('dem.tif', { output_tier: 'visualization' }), 'RASTER_TIER_UNSUPPORTED');
  });

  // Last: it is the one case that publishes something.
  it('a raster without CRS is accepted with the crs parameter', async () => {
    const { ctx } = taskContext();
    const result = await processRaster(t.deps, parameters('no-crs.tif', { crs: 'EPSG:32633', item_id: 'given-crs' }), 0, ctx);
    const { rows } = await t.testDb.db.query<{ epsg: number }>('SELECT epsg FROM app.raster_metadata WHERE item_id = $1', [result.stac_item_id]);
    assert.equal(rows[0]?.epsg, 32633);
  });
});

describe('raster type detection', () => {
  const shape = (over: Partial<RasterShape>): RasterShape => ({ bandCount: 1, dataType: 'Float32', colorInterpretations: ['Gray'], hasColorTable: false, first: null, ...over });
  it('tells imagery, elevation, indices and classes apart', () => {
    assert.equal(detectRasterType(shape({ bandCount: 3, dataType: 'Byte', colorInterpretations: ['Red', 'Green', 'Blue'] })), 'rgb');
    assert.equal(detectRasterType(shape({ bandCount: 4, dataType: 'Byte', colorInterpretations: ['Red', 'Green', 'Blue', 'Alpha'] })), 'rgba');
    assert.equal(detectRasterType(shape({ bandCount: 4, dataType: 'UInt16', colorInterpretations: ['Gray', 'Undefined', 'Undefined', 'Undefined'] })), 'nir');
    assert.equal(detectRasterType(shape({ bandCount: 8, dataType: 'Int16' })), 'multispectral');
    assert.equal(detectRasterType(shape({ first: { min: 200, max: 800, std: 150, histogram: null } })), 'dem');
    assert.equal(detectRasterType(shape({ first: { min: 0, max: 1000, std: 400, histogram: null } })), 'continuous');
    assert.equal(detectRasterType(shape({ first: { min: -0.4, max: 0.9, std: 0.3, histogram: null } })), 'vegetation_index');
    assert.equal(detectRasterType(shape({ dataType: 'Byte', first: { min: 1, max: 6, std: 1.7, histogram: [0, 5, 5, 5, 5, 5, 5] } })), 'categorical');
    assert.equal(detectRasterType(shape({ dataType: 'Byte', hasColorTable: true, first: null })), 'categorical');
    assert.equal(detectRasterType(shape({ dataType: 'Byte', first: { min: 0, max: 255, std: 60, histogram: Array.from({ length: 256 }, () => 1) } })), 'continuous');
  });
});
