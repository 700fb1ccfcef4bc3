import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeridianError } from '@meridian/core';
import { EXTENSION_URIS, VECTOR_COLLECTION_ID, validateStac } from '../src/index.ts';
import { itemRow } from '../src/documents.ts';
import { vectorItem } from '../src/consistency/vector-source.ts';
import { collectionDoc, itemDoc } from './support.ts';

function rejects(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof MeridianError, String(error));
    assert.equal(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

const item = (extra: Record<string, unknown> = {}) => ({ ...itemDoc('a', 10, 20, '2021-05-01T10:00:00Z'), ...extra });

describe('STAC validation', () => {
  it('accepts core items and collections of STAC 1.0 and 1.1', () => {
    validateStac('item', item());
    validateStac('item', item({ stac_version: '1.0.0' }));
    validateStac('item', item({ geometry: null, bbox: undefined }));
    validateStac('item', { ...item(), properties: { datetime: null, start_datetime: '2020-01-01T00:00:00Z', end_datetime: '2020-12-31T00:00:00Z' } });
    validateStac('collection', collectionDoc('c'));
    validateStac('collection', collectionDoc('c', { extent: { spatial: { bbox: [[170, -10, -170, 10]] }, temporal: { interval: [[null, null]] } } }));
  });

  it('rejects items that break the core rules, naming the place', () => {
    rejects(() => validateStac('item', item({ type: 'Point' })), 'STAC_INVALID', /\/type/);
    rejects(() => validateStac('item', item({ stac_version: '0.9.0' })), 'STAC_INVALID', /stac_version/);
    rejects(() => validateStac('item', item({ links: undefined })), 'STAC_INVALID', /links/);
    rejects(() => validateStac('item', item({ assets: { a: { title: 'no href' } } })), 'STAC_INVALID', /href/);
    rejects(() => validateStac('item', item({ bbox: undefined })), 'STAC_INVALID', /bbox/);
    rejects(() => validateStac('item', item({ bbox: [1, 2, 3] })), 'STAC_INVALID', /bbox/);
    rejects(() => validateStac('item', { ...item(), properties: { datetime: '2021-13-01T00:00:00Z' } }), 'STAC_INVALID', /datetime/);
    rejects(() => validateStac('item', { ...item(), properties: { datetime: '2021-01-01' } }), 'STAC_INVALID', /datetime/);
    rejects(() => validateStac('item', { ...item(), properties: { datetime: null } }), 'STAC_INVALID', /start_datetime/);
    rejects(() => validateStac('item', { ...item(), properties: { datetime: '2021-01-01T00:00:00Z', gsd: -1 } }), 'STAC_INVALID', /gsd/);
    rejects(() => validateStac('item', item({ geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] } })), 'STAC_INVALID', /geometry/);
  });

  it('rejects collections that break the core rules', () => {
    rejects(() => validateStac('collection', collectionDoc('c', { description: '' })), 'STAC_INVALID', /description/);
    rejects(() => validateStac('collection', collectionDoc('c', { license: undefined })), 'STAC_INVALID', /license/);
    rejects(() => validateStac('collection', collectionDoc('c', { extent: { spatial: { bbox: [] }, temporal: { interval: [[null, null]] } } })), 'STAC_INVALID', /bbox/);
    rejects(() => validateStac('collection', collectionDoc('c', { extent: { spatial: { bbox: [[0, 0, 1, 1]] }, temporal: { interval: [['yesterday', null]] } } })), 'STAC_INVALID', /interval/);
  });

  it('checks the fields of the extensions an item declares, in properties and assets', () => {
    const declared = (uri: string, extra: Record<string, unknown>) => item({ stac_extensions: [uri], ...extra });
    validateStac('item', declared(EXTENSION_URIS.projection, { properties: { datetime: '2021-01-01T00:00:00Z', 'proj:code': 'EPSG:32633', 'proj:shape': [10, 20], 'proj:transform': [1, 0, 0, 0, -1, 0] } }));
    rejects(() => validateStac('item', declared(EXTENSION_URIS.projection, { properties: { datetime: '2021-01-01T00:00:00Z', 'proj:shape': [10] } })), 'STAC_INVALID', /projection.*proj:shape/);
    validateStac('item', declared(EXTENSION_URIS.raster, { assets: { data: { href: 'x.tif', 'raster:bands': [{ data_type: 'uint8', nodata: 'nan', statistics: { minimum: 0, maximum: 1 } }] } } }));
    rejects(() => validateStac('item', declared(EXTENSION_URIS.raster, { assets: { data: { href: 'x.tif', 'raster:bands': [{ data_type: 'uint9' }] } } })), 'STAC_INVALID', /raster/);
    rejects(() => validateStac('item', declared(EXTENSION_URIS.eo, { properties: { datetime: '2021-01-01T00:00:00Z', 'eo:cloud_cover': 101 } })), 'STAC_INVALID', /eo:cloud_cover/);
    rejects(() => validateStac('item', declared(EXTENSION_URIS.file, { assets: { data: { href: 'x', 'file:size': -5 } } })), 'STAC_INVALID', /file:size/);
    // The older projection major version is accepted too.
    validateStac('item', declared('https://stac-extensions.github.io/projection/v1.1.0/schema.json', { properties: { datetime: '2021-01-01T00:00:00Z', 'proj:epsg': 4326 } }));
  });

  it('refuses extensions it cannot validate offline', () => {
    rejects(() => validateStac('item', item({ stac_extensions: ['https://stac-extensions.github.io/sar/v1.0.0/schema.json'] })), 'STAC_EXTENSION_UNSUPPORTED', /supported: projection/);
    rejects(() => validateStac('item', item({ stac_extensions: ['https://stac-extensions.github.io/raster/v2.0.0/schema.json'] })), 'STAC_EXTENSION_UNSUPPORTED');
    rejects(() => validateStac('item', item({ stac_extensions: ['https://example.com/evil.json'] })), 'STAC_EXTENSION_UNSUPPORTED');
  });

  it('completes and checks items before they are stored', () => {
    const row = itemRow({ ...item(), bbox: undefined, links: [{ rel: 'self', href: 'http://old/self' }, { rel: 'license', href: 'https://x/licence' }] }, 'c1');
    assert.deepEqual(row.content.bbox, [9.99, 19.99, 10.01, 20.01]);
    assert.equal(row.content.collection, 'c1');
    assert.deepEqual(row.content.links, [{ rel: 'license', href: 'https://x/licence' }]);
    assert.equal(row.datetime, '2021-05-01T10:00:00.000Z');
    // A huge polygon (200,000 vertices) is checked and bounded without copying its coordinates around.
    const ring = Array.from({ length: 200_000 }, (_, i) => [Math.cos((2 * Math.PI * i) / 200_000), Math.sin((2 * Math.PI * i) / 200_000)]);
    const huge = itemRow({ ...item(), bbox: undefined, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } }, 'c1');
    assert.deepEqual(huge.content.bbox, [-1, -1, 1, 1]);
    rejects(() => itemRow(item({ id: '../etc' }), 'c1'), 'INVALID_IDENTIFIER');
    rejects(() => itemRow(item({ id: "x'; DROP TABLE catalog.items; --" }), 'c1'), 'INVALID_IDENTIFIER');
    rejects(() => itemRow(item({ collection: 'other' }), 'c1'), 'VALIDATION_ERROR', /other/);
    rejects(() => itemRow(item({ geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } }), 'c1'), 'STAC_INVALID', /closed/);
    rejects(() => itemRow({ ...item(), properties: { datetime: null, start_datetime: '2021-02-01T00:00:00Z', end_datetime: '2021-01-01T00:00:00Z' } }, 'c1'), 'STAC_INVALID', /before/);
  });

  it('validates the items the consistency checker rebuilds for vector tables', () => {
    const rebuilt = vectorItem({
      table_name: 't_0085581_dr0104298_1', title: 'Roads', description: '', bbox: [1, 2, 3, 4], temporal_start: null, temporal_end: null,
      feature_count: 10, geometry_type: 'LineString', access_level: 'public', served: true, created_at: new Date('2024-01-01T00:00:00Z'), table_exists: true,
    }, 'http://example.test');
    validateStac('item', { ...rebuilt, collection: VECTOR_COLLECTION_ID });
    assert.equal(rebuilt.id, 't-0085581-dr0104298-1');
  });
});
