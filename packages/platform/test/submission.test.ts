import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMeridianError } from '@meridian/core';
import { parseSubmission, planJob } from '../src/index.ts';

const base = { dataset_id: 'ds1', resource_id: 'res1', container_name: 'bronze-uploads', file_name: 'data/roads.geojson' };

function refused(body: Record<string, unknown>, code: string, pattern: RegExp, field?: string): void {
  assert.throws(() => parseSubmission(body), (error: unknown) => {
    assert.ok(isMeridianError(error), String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.status, 400);
    assert.match(error.message, pattern);
    if (field) assert.equal(error.extra.field, field);
    return true;
  });
}

test('a minimal vector submission: defaults and data type', () => {
  const s = parseSubmission(base);
  assert.equal(s.dataType, 'vector');
  assert.equal(s.accessLevel, 'ouo');
  assert.equal(s.clientId, 'ddh');
  assert.equal(s.options.overwrite, false);
  assert.equal(s.options.kind === 'vector' && s.options.createStac, true);
  assert.equal(parseSubmission({ ...base, file_name: 'x.TIF' }).dataType, 'raster');
  const collection = parseSubmission({ ...base, file_name: ['a.tif', 'b.tif'] });
  assert.equal(collection.isCollection, true);
  assert.equal(parseSubmission({ ...base, file_name: undefined, source_url: 'https://example.org/cube.zarr' }).dataType, 'zarr');
});

test('access_level normalization', () => {
  assert.equal(parseSubmission({ ...base, access_level: 'PUBLIC' }).accessLevel, 'public');
  assert.equal(parseSubmission({ ...base, access_level: 'Official Use Only' }).accessLevel, 'ouo');
  assert.equal(parseSubmission({ ...base, access_level: 'OUO' }).accessLevel, 'ouo');
  refused({ ...base, access_level: 'restricted' }, 'VALIDATION_ERROR', /not yet supported/, 'access_level');
  refused({ ...base, access_level: 'secret' }, 'VALIDATION_ERROR', /public.*ouo/, 'access_level');
});

test('unknown fields are named with the valid ones listed', () => {
  assert.throws(() => parseSubmission({ ...base, dataset: 'x' }), (error: unknown) => {
    assert.ok(isMeridianError(error));
    assert.equal(error.code, 'UNKNOWN_PARAMETER');
    assert.match(error.message, /'dataset'/);
    assert.match(error.message, /dataset_id, resource_id, version_id/);
    assert.deepEqual(error.extra.field, 'dataset');
    return true;
  });
  refused({ ...base, processing_options: { raster_type: 'dem' } }, 'UNKNOWN_PARAMETER', /'raster_type'.*table_name/);
  refused({ ...base, file_name: 'a.tif', processing_options: { table_name: 'x' } }, 'UNKNOWN_PARAMETER', /'table_name'.*output_tier/);
  refused({ ...base, processing_options: { indexes: { gist: true } } }, 'UNKNOWN_PARAMETER', /'gist'/);
});

test('required fields, identifiers and container names', () => {
  refused({ ...base, dataset_id: undefined }, 'VALIDATION_ERROR', /dataset_id: is required/, 'dataset_id');
  refused({ ...base, resource_id: '' }, 'VALIDATION_ERROR', /resource_id: is required/);
  refused({ ...base, container_name: undefined }, 'VALIDATION_ERROR', /container_name/);
  refused({ ...base, file_name: undefined }, 'VALIDATION_ERROR', /file_name: is required/);
  refused({ ...base, dataset_id: "x'; DROP TABLE app.jobs; --" }, 'INVALID_IDENTIFIER', /dataset_id/, 'dataset_id');
  refused({ ...base, dataset_id: '../../etc/passwd' }, 'INVALID_IDENTIFIER', /dataset_id/);
  refused({ ...base, resource_id: 'données' }, 'INVALID_IDENTIFIER', /resource_id/);
  refused({ ...base, dataset_id: '_leading' }, 'INVALID_IDENTIFIER', /starting with a letter or digit/);
  refused({ ...base, dataset_id: 'a'.repeat(300) }, 'INVALID_IDENTIFIER', /at most 255/);
  refused({ ...base, version_id: 'v'.repeat(51) }, 'INVALID_IDENTIFIER', /version_id: must be at most 50/);
  refused({ ...base, previous_version_id: 'p'.repeat(51) }, 'INVALID_IDENTIFIER', /previous_version_id/);
  refused({ ...base, container_name: 'UPPER' }, 'INVALID_CONTAINER_NAME', /container_name/);
  refused({ ...base, container_name: 'ab' }, 'INVALID_CONTAINER_NAME', /3 to 63/);
  refused({ ...base, file_name: '../secret.geojson' }, 'INVALID_BLOB_KEY', /file_name/);
  refused({ ...base, file_name: '/abs.geojson' }, 'INVALID_BLOB_KEY', /file_name/);
  refused({ ...base, tags: 'one' }, 'VALIDATION_ERROR', /tags/);
  refused({ ...base, callback_url: 'ftp://x' }, 'VALIDATION_ERROR', /callback_url/);
});

test('file formats, multi-file rules and per-type processing options', () => {
  refused({ ...base, file_name: 'notes.docx' }, 'UNSUPPORTED_FILE_FORMAT', /Unsupported file format: '\.docx'/);
  refused({ ...base, file_name: 'noextension' }, 'UNSUPPORTED_FILE_FORMAT', /Unsupported file format/);
  refused({ ...base, file_name: ['a.geojson', 'b.geojson'] }, 'VALIDATION_ERROR', /only for rasters/);
  refused({ ...base, file_name: 'points.csv' }, 'VALIDATION_ERROR', /lat_column and lon_column, or wkt_column/, 'processing_options.lat_column');
  refused({ ...base, file_name: 'points.csv', processing_options: { lat_column: 'lat' } }, 'VALIDATION_ERROR', /give both/, 'processing_options.lon_column');
  assert.equal(parseSubmission({ ...base, file_name: 'points.csv', processing_options: { wkt_column: 'wkt' } }).dataType, 'vector');
  const csv = parseSubmission({ ...base, file_name: 'points.csv', processing_options: { lat_column: 'lat', lon_column: 'lon', overwrite: 'true' } });
  assert.equal(csv.options.overwrite, true);
  refused({ ...base, processing_options: { overwrite: 'yes' } }, 'VALIDATION_ERROR', /overwrite: must be true or false/);
  refused({ ...base, file_name: 'a.tif', processing_options: { raster_type: 'lidar' } }, 'VALIDATION_ERROR', /raster_type/);
  refused({ ...base, file_name: 'a.tif', processing_options: { output_tier: 'best' } }, 'VALIDATION_ERROR', /output_tier/);
  refused({ ...base, file_name: 'a.tif', processing_options: { crs: '4326' } }, 'VALIDATION_ERROR', /EPSG:4326/);
  refused({ ...base, file_name: 'c.zarr', processing_options: { spatial_chunk_size: 32 } }, 'VALIDATION_ERROR', /64 to 1024/);
  refused({ ...base, file_name: 'c.zarr', processing_options: { time_chunk_size: 101 } }, 'VALIDATION_ERROR', /1 to 100/);
  refused({ ...base, processing_options: { collection_id: 'Bad Id' } }, 'VALIDATION_ERROR', /collection_id/);
  refused({ ...base, processing_options: [] }, 'VALIDATION_ERROR', /processing_options: must be a JSON object/);
  const named = parseSubmission({ ...base, processing_options: { table_name: 'My Roads!' } }).options;
  assert.equal(named.kind === 'vector' ? named.tableName : null, 'my_roads');
  refused({ ...base, processing_options: { table_name: '!!!' } }, 'VALIDATION_ERROR', /no letters or digits/);
});

test('job parameters: vector, raster, raster collection; zarr is not implemented', () => {
  const names = { datasetId: 'ds1', resourceId: 'res1', versionId: null, ordinal: 1 };
  const vector = planJob(parseSubmission({ ...base, title: 'Roads', processing_options: { table_name: 'My Roads' } }), names, { replaceOutputs: false });
  assert.equal(vector.jobType, 'process_vector');
  assert.deepEqual(vector.parameters, {
    container_name: 'bronze-uploads', blob_name: 'data/roads.geojson', table_name: 'my_roads', title: 'Roads', create_stac: true,
    collection_id: 'system-vectors', overwrite: false, access_level: 'ouo', served: false, dataset_id: 'ds1', resource_id: 'res1', version_id: 'ord1',
  });
  assert.equal(vector.outputs.stac_item_id, 'ds1-res1-ord1');
  const raster = planJob(parseSubmission({ ...base, file_name: 'dem.tif', access_level: 'public' }), names, { replaceOutputs: true });
  assert.equal(raster.jobType, 'process_raster');
  assert.equal(raster.parameters.item_id, 'ds1-res1-ord1');
  assert.equal(raster.parameters.collection_id, 'ds1-res1');
  assert.equal(raster.parameters.overwrite, true);
  const mosaic = planJob(parseSubmission({ ...base, file_name: ['a.tif', 'b.tif'] }), names, { replaceOutputs: false });
  assert.equal(mosaic.jobType, 'process_raster_collection');
  assert.deepEqual(mosaic.parameters.blob_names, ['a.tif', 'b.tif']);
  assert.throws(() => planJob(parseSubmission({ ...base, file_name: 'c.nc' }), names, { replaceOutputs: false }), /not supported yet/);
});
