import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_BACKENDS } from '@meridian/db/testing';
import { setTableServed, upsertVectorTable } from '@meridian/catalog';
import { createVectorFixtures, decodeTile } from '@meridian/catalog/testing';
import { createTestApp, type TestApp } from './support.ts';

const TILES = '/api/features/collections/zones/tiles/WebMercatorQuad';
const PLACES_TILE = '/api/features/collections/places/tiles/WebMercatorQuad/0/0/0.pbf';

for (const kind of TEST_BACKENDS) {
  describe(`vector tiles over HTTP on ${kind}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ kind, as: 'reader' });
      await createVectorFixtures(t.runtime.db);
    });
    after(() => t.close());

    it('serves a TileJSON whose template leads to decodable tiles', async () => {
      const response = await t.app.inject(TILES);
      assert.equal(response.statusCode, 200);
      const doc = response.json();
      assert.equal(doc.tilejson, '3.0.0');
      assert.deepEqual([doc.minzoom, doc.maxzoom], [0, 22]);
      assert.deepEqual(doc.vector_layers.map((l: { id: string }) => l.id), ['zones']);
      const template = new URL(doc.tiles[0].replaceAll('{', '%7B').replaceAll('}', '%7D'));
      const path = decodeURIComponent(template.pathname).replace('{z}', '1').replace('{x}', '1').replace('{y}', '0');
      const tile = await t.app.inject(path);
      assert.equal(tile.statusCode, 200);
      assert.equal(tile.headers['content-type'], 'application/vnd.mapbox-vector-tile');
      const features = decodeTile(tile.rawPayload).zones!.features;
      assert.deepEqual(features.map((f) => f.id).sort(), [1, 2, 3, 4, 5]);
      assert.equal(features.find((f) => f.id === 2)!.properties.label, 'Zone B');
    });

    it('sends an ETag and Cache-Control, answers 304 to If-None-Match, and a new revision changes the ETag', async () => {
      const first = await t.app.inject(`${TILES}/1/1/0.pbf`);
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[0-9a-f]{32}"$/);
      assert.equal(first.headers['cache-control'], 'public, max-age=3600');
      const again = await t.app.inject({ url: `${TILES}/1/1/0.pbf`, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      await upsertVectorTable(t.runtime.db, { tableName: 'zones', title: 'Zones', geometryType: 'MultiPolygon', featureCount: 5, columns: [{ name: 'kind', type: 'text' }], accessLevel: 'ouo' });
      const reloaded = await t.app.inject({ url: `${TILES}/1/1/0.pbf`, headers: { 'if-none-match': etag } });
      assert.equal(reloaded.statusCode, 200);
      assert.notEqual(reloaded.headers.etag, etag);
      assert.equal(reloaded.headers['cache-control'], 'private, max-age=3600');
      assert.deepEqual(Object.keys(decodeTile(reloaded.rawPayload).zones!.features[0]!.properties), ['kind'], 'the new column list applies');
    });

    it('answers 204 for an empty tile', async () => {
      const response = await t.app.inject(`${TILES}/10/0/0.pbf`);
      assert.equal(response.statusCode, 204);
      assert.equal(response.body, '');
    });

    it('refuses tiles outside the matrix (404) and malformed requests (400) in OGC form', async () => {
      for (const path of ['23/0/0', '2/4/0', '2/0/9', '-1/0/0']) {
        const response = await t.app.inject(`${TILES}/${path}.pbf`);
        assert.equal(response.statusCode, 404, path);
        assert.equal(response.json().code, 'TILE_OUT_OF_RANGE');
      }
      for (const path of ['a/0/0.pbf', '1/0/0.5.pbf', '1/0/0.pbf?filter=x']) {
        const response = await t.app.inject(`${TILES}/${path}`);
        assert.equal(response.statusCode, 400, path);
        assert.ok(response.json().description);
      }
      assert.equal((await t.app.inject('/api/features/collections/secret_places/tiles/WebMercatorQuad/0/0/0.pbf')).json().code, 'COLLECTION_NOT_FOUND');
    });

    it('keeps rendered tiles until the catalog changes, and serves a kept tile only while the caller may see it', async () => {
      const first = await t.app.inject(PLACES_TILE);
      assert.equal(first.statusCode, 200);
      // Rows removed behind the catalog's back: the kept tile is served, nothing is rendered again …
      await t.runtime.db.query('DELETE FROM geo.places');
      const kept = await t.app.inject(PLACES_TILE);
      assert.equal(kept.statusCode, 200);
      assert.deepEqual(kept.rawPayload, first.rawPayload);
      // … until the catalog row changes (every load and every publication change does): then it is rendered afresh.
      await setTableServed(t.runtime.db, 'places', true, 'public');
      assert.equal((await t.app.inject(PLACES_TILE)).statusCode, 204);
      // Withdrawn while the empty tile is kept under metadata this process still holds: the guard refuses it.
      await setTableServed(t.runtime.db, 'places', false, 'public');
      assert.equal((await t.app.inject(PLACES_TILE)).json().code, 'COLLECTION_NOT_FOUND');
    });
  });

  describe(`vector tiles without the tile cache on ${kind}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ kind, as: 'reader', env: { MERIDIAN_VECTOR_TILE_CACHE_MB: '0' } });
      await createVectorFixtures(t.runtime.db);
    });
    after(() => t.close());

    it('renders every request', async () => {
      assert.equal((await t.app.inject(PLACES_TILE)).statusCode, 200);
      await t.runtime.db.query('DELETE FROM geo.places');
      assert.equal((await t.app.inject(PLACES_TILE)).statusCode, 204);
    });
  });
}
