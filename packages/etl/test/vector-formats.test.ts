/**
 * process_vector end to end on PostgreSQL through the real job engine, one input format after another:
 * each load is checked against what ogrinfo reports for the same file (feature count, every attribute
 * value, geometry, CRS), plus validity, SRID, the catalog row and the STAC item.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { VectorJobResult } from '../src/index.ts';
import { assertMatchesSource, ogrFeatures } from './ogr-compare.ts';
import { CONTAINER, createVectorHarness, jobError, type VectorHarness } from './vector-harness.ts';

let h: VectorHarness;

before(async () => {
  h = await createVectorHarness('postgres');
});
after(async () => {
  await h?.close();
});

async function load(fixture: string, parameters: Record<string, unknown> = {}, parts: string[] = []): Promise<VectorJobResult> {
  const path = h.fixtures[fixture]!;
  const key = await h.upload(path);
  for (const ext of parts) await h.upload(path.replace(/\.shp$/, `.${ext}`));
  const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: fixture, ...parameters });
  assert.equal(job.status, 'completed', JSON.stringify(job.error));
  return job.result as VectorJobResult;
}

async function catalogRow(table: string) {
  const { rows } = await h.db.query<{ geometry_type: string; feature_count: number; source_crs: string; bbox: number[]; served: boolean; access_level: string; id_column: string; columns: { name: string; type: string; original_name: string }[] }>(
    'SELECT geometry_type, feature_count, source_crs, bbox, served, access_level, id_column, columns FROM geo.table_catalog WHERE table_name = $1', [table],
  );
  assert.ok(rows[0], `catalog row of ${table}`);
  return rows[0];
}

const codes = (result: VectorJobResult) => result.warnings.map((w) => w.code);

describe('process_vector: every input format, checked against ogrinfo', () => {
  it('GeoJSON: types, unicode, escapes, null and empty geometries dropped with a warning', async () => {
    const result = await load('places_geojson');
    assert.equal(result.feature_count, 9);
    assert.equal(result.geometry_type, 'Point');
    assert.equal(result.source_crs, 'EPSG:4326');
    assert.deepEqual(codes(result), ['NULL_GEOMETRY_DROPPED']);
    assert.equal(result.warnings[0]!.count, 2);
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_geojson!), { tables: ['places_geojson'], sourceSrid: 4326 });
    const row = await catalogRow('places_geojson');
    assert.deepEqual(row.columns.map((c) => `${c.name}:${c.type}`), [
      'name:text', 'pop:integer', 'big:bigint', 'score:double precision', 'active:boolean', 'founded:date',
      'updated:timestamp with time zone', 'tags:text[]', 'meta:jsonb', 'category:text',
    ]);
    assert.deepEqual(row.bbox, [-171.7514, -23.5505, 178.4419, 64.1466]);
    assert.equal(row.served, true);
    assert.equal(row.access_level, 'ouo');
    assert.equal(row.id_column, 'ogc_fid');
  });

  it('GeoJSONSeq', async () => {
    const result = await load('places_geojsonl');
    assert.equal(result.feature_count, 9);
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_geojsonl!), { tables: ['places_geojsonl'], sourceSrid: 4326 });
  });

  it('FlatGeobuf', async () => {
    const result = await load('places_fgb');
    assert.equal(result.feature_count, 9);
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_fgb!), { tables: ['places_fgb'], sourceSrid: 4326 });
  });

  it('GeoPackage: the first layer by default with a warning, another by layer_name', async () => {
    const first = await load('places_gpkg');
    assert.ok(codes(first).includes('MULTIPLE_LAYERS'));
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_gpkg!, { layer: 'places' }), { tables: ['places_gpkg'], sourceSrid: 4326 });
    const zones = await load('places_gpkg', { layer_name: 'zones', table_name: 'gpkg_zones' });
    assert.equal(zones.feature_count, 3);
    assert.equal(zones.geometry_type, 'MultiPolygon');
    assert.ok(!codes(zones).includes('MULTIPLE_LAYERS'));
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_gpkg!, { layer: 'zones' }), { tables: ['gpkg_zones'], sourceSrid: 4326 });
  });

  it('Shapefile (loose .shp/.shx/.dbf/.prj blobs) in UTM 33N: reprojected to EPSG:4326', async () => {
    const result = await load('zones_shp', {}, ['shx', 'dbf', 'prj', 'cpg']);
    assert.equal(result.source_crs, 'EPSG:32633');
    assert.equal(result.geometry_type, 'MultiPolygon');
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.zones_shp!), { tables: ['zones_shp'], sourceSrid: 32633, tolerance: 1e-8 });
    const row = await catalogRow('zones_shp');
    // Near 14°–16.2°E, 45°–47.1°N, as the GeoJSON the shapefile was made from.
    assert.ok(Math.abs(row.bbox[0]! - 14) < 1e-6 && Math.abs(row.bbox[1]! - 45) < 1e-6, JSON.stringify(row.bbox));
  });

  it('zipped Shapefile (in a folder of the archive)', async () => {
    const result = await load('zones_zip');
    assert.equal(result.feature_count, 3);
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.zones_shp!), { tables: ['zones_zip'], sourceSrid: 32633, tolerance: 1e-8 });
  });

  it('KML and KMZ: points and a line split into one table per kind', async () => {
    for (const fixture of ['places_kml', 'places_kmz']) {
      const result = await load(fixture);
      assert.deepEqual(result.table_names, [`${fixture}_point`, `${fixture}_line`]);
      assert.ok(codes(result).includes('GEOMETRY_TYPES_SPLIT'));
      await assertMatchesSource(h.db, await ogrFeatures(h.fixtures[fixture]!), { tables: result.table_names, sourceSrid: 4326 });
    }
  });

  it('CSV with latitude/longitude columns, and with a WKT column', async () => {
    const points = await load('places_csv', { lat_column: 'latitude', lon_column: 'longitude' });
    assert.equal(points.feature_count, 3);
    const csvPoints = ['X_POSSIBLE_NAMES=longitude', 'Y_POSSIBLE_NAMES=latitude', 'AUTODETECT_TYPE=YES', 'AUTODETECT_SIZE_LIMIT=0', 'EMPTY_STRING_AS_NULL=YES'];
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.places_csv!, { openOptions: csvPoints }), { tables: ['places_csv'], sourceSrid: 4326 });
    const shapes = await load('shapes_csv', { wkt_column: 'wkt' });
    assert.equal(shapes.geometry_type, 'Polygon');
    const csvWkt = ['GEOM_POSSIBLE_NAMES=wkt', 'KEEP_GEOM_COLUMNS=NO', 'AUTODETECT_TYPE=YES', 'AUTODETECT_SIZE_LIMIT=0', 'EMPTY_STRING_AS_NULL=YES'];
    await assertMatchesSource(h.db, await ogrFeatures(h.fixtures.shapes_csv!, { openOptions: csvWkt }), { tables: ['shapes_csv'], sourceSrid: 4326 });
  });

  it('GeoParquet where this GDAL has the driver, else GDAL_DRIVER_MISSING', async (t) => {
    const { stdout } = await promisify(execFile)('ogrinfo', ['--formats']);
    if (/^\s+Parquet -/m.test(stdout)) {
      t.skip('this GDAL has the Parquet driver; the fixture is not real Parquet');
      return;
    }
    const key = await h.upload(h.fixtures.parquet!);
    const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key });
    assert.equal(job.status, 'failed');
    assert.equal(jobError(job).code, 'GDAL_DRIVER_MISSING');
  });

  it('writes a STAC item per table in system-vectors, linking the OGC collection and its tiles', async () => {
    const { rows } = await h.db.query<{ id: string; content: { properties: Record<string, unknown>; links: { rel: string; href: string }[]; assets: Record<string, { href: string }>; bbox: number[] } }>(
      "SELECT id, content FROM catalog.items WHERE collection = 'system-vectors' AND id = 'places-geojson'",
    );
    const item = rows[0]!.content;
    assert.equal(item.properties['vector:table'], 'places_geojson');
    assert.equal(item.properties['vector:feature_count'], 9);
    assert.deepEqual(item.bbox, [-171.7514, -23.5505, 178.4419, 64.1466]);
    assert.ok(item.assets.features!.href.endsWith('/api/features/collections/places_geojson'));
    assert.ok(item.links.some((l) => l.href.endsWith('/api/features/collections/places_geojson/tiles/WebMercatorQuad')));
  });
});
