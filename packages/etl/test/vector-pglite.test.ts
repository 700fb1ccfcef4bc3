/**
 * The core path on the embedded database (PGlite with PostGIS): load through the real job engine
 * (checked against ogrinfo), geometry rules and split, an overwrite swap, bad input leaving nothing
 * behind, and unpublish.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { VectorJobResult } from '../src/index.ts';
import { assertMatchesSource, ogrFeatures } from './ogr-compare.ts';
import { CONTAINER, createVectorHarness, jobError, type VectorHarness } from './vector-harness.ts';

let h: VectorHarness;

before(async () => {
  h = await createVectorHarness('pglite');
});
after(async () => {
  await h?.close();
});

async function process(fixture: string, parameters: Record<string, unknown>) {
  const key = await h.upload(h.fixtures[fixture]!);
  return h.run('process_vector', { container_name: CONTAINER, blob_name: key, ...parameters });
}

describe('process_vector on PGlite', { timeout: 180_000 }, () => {
  it('loads GeoJSON exactly as ogrinfo reads it, with a catalog row and a STAC item', async () => {
    const job = await process('places_geojson', { table_name: 'places', split_column: 'category', temporal_property: 'updated' });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const result = job.result as VectorJobResult;
    assert.equal(result.feature_count, 9);
    assert.equal(result.views.length, 4);
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_geojson!), { tables: ['places'], sourceSrid: 4326 });
    const { rows } = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM catalog.items WHERE id = 'places'");
    assert.equal(rows[0]!.n, 1);
  });

  it('repairs, promotes and splits geometries; reprojects a shapefile', async () => {
    const polygons = await process('polygons_geojson', { table_name: 'polygons' });
    assert.deepEqual((polygons.result as VectorJobResult).warnings.map((w) => w.code), ['GEOMETRY_REPAIRED', 'GEOMETRY_PROMOTED_TO_MULTI']);
    const { rows } = await h.db.query<{ valid: boolean; types: string[] }>('SELECT bool_and(ST_IsValid(geom)) AS valid, array_agg(DISTINCT GeometryType(geom)) AS types FROM geo.polygons');
    assert.deepEqual(rows[0], { valid: true, types: ['MULTIPOLYGON'] });
    const mixed = await process('mixed_geojson', { table_name: 'mixed' });
    assert.deepEqual((mixed.result as VectorJobResult).table_names, ['mixed_point', 'mixed_line', 'mixed_polygon']);
    for (const ext of ['shx', 'dbf', 'prj', 'cpg']) await h.upload(h.fixtures.zones_shp!.replace(/shp$/, ext));
    const shp = await process('zones_shp', { table_name: 'zones' });
    assert.equal(shp.status, 'completed', JSON.stringify(shp.error));
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.zones_shp!), { tables: ['zones'], sourceSrid: 32633, tolerance: 1e-8 });
  });

  it('overwrites by swapping in the new table, fails bad input cleanly, unpublishes', async () => {
    const swap = await process('zones_geojson', { table_name: 'places', overwrite: true });
    assert.equal((swap.result as VectorJobResult).revision, 2);
    const { rows } = await h.db.query<{ n: number; views: number }>(
      "SELECT (SELECT count(*)::int FROM geo.places) AS n, (SELECT count(*)::int FROM pg_views WHERE schemaname = 'geo' AND viewname LIKE 'places_%') AS views",
    );
    assert.deepEqual(rows[0], { n: 3, views: 0 });
    const bad = await process('truncated_geojson', { table_name: 'broken' });
    assert.equal(jobError(bad).code, 'CORRUPTED_FILE');
    const gone = await h.run('unpublish_vector', { table_name: 'places' });
    assert.equal(gone.status, 'completed', JSON.stringify(gone.error));
    const left = await h.db.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace IN ('geo'::regnamespace, 'etl'::regnamespace) AND c.relkind IN ('r', 'v') AND c.relname NOT IN ('table_catalog', 'polygons', 'mixed_point', 'mixed_line', 'mixed_polygon', 'zones') ORDER BY 1",
    );
    assert.deepEqual(left.rows, []);
  });
});
