import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assetId, rasterCollectionId, requestId, stacItemId, tableName, versionSegment } from '../src/index.ts';

const sha32 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

test('request_id and asset_id are the first 32 hex of SHA-256 of the contract strings', () => {
  assert.equal(requestId('0085581', 'DR0104298', '1'), sha32('0085581|DR0104298|1'));
  assert.equal(requestId('0085581', 'DR0104298', null), sha32('0085581|DR0104298'));
  assert.equal(assetId('ddh', '0085581', 'DR0104298'), sha32('ddh|0085581|DR0104298'));
  assert.equal(assetId('other-platform', 'a', 'b'), sha32('other-platform|a|b'));
  assert.match(requestId('a', 'b', null), /^[0-9a-f]{32}$/);
});

test('names: the contract example, version segment, slug rules, STAC ids', () => {
  assert.equal(tableName({ datasetId: '0085581', resourceId: 'DR0104298', versionId: '1', ordinal: 1 }), 't_0085581_dr0104298_1');
  assert.equal(versionSegment(null, 3), 'ord3');
  assert.equal(tableName({ datasetId: 'Floods', resourceId: 'Admin-Areas', versionId: null, ordinal: 2 }), 'floods_admin_areas_ord2');
  assert.equal(tableName({ datasetId: 'ds', resourceId: 'res', versionId: 'v1.0', ordinal: 1 }), 'ds_res_v10');
  assert.equal(tableName({ datasetId: '__x', resourceId: '--y', versionId: 'z', ordinal: 1 }), 'x_y_z');
  assert.equal(tableName({ datasetId: 'a'.repeat(100), resourceId: 'b', versionId: null, ordinal: 1 }).length, 63);
  assert.equal(stacItemId({ datasetId: '0085581', resourceId: 'DR0104298', versionId: '1', ordinal: 1 }), '0085581-dr0104298-1');
  assert.equal(stacItemId({ datasetId: 'My_Data', resourceId: 'R.1', versionId: null, ordinal: 4 }), 'my-data-r1-ord4');
  assert.equal(rasterCollectionId('Flood_Maps', 'R1', null), 'flood-maps-r1');
  assert.equal(rasterCollectionId('Flood_Maps', 'R1', 'my-collection'), 'my-collection');
});
