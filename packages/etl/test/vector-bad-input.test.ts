/**
 * Bad input fails cleanly: the job fails with the catalog code the submitter can act on, and nothing is
 * left behind — no table in schema geo or etl, no catalog row, no STAC item, no revision. Edge cases that
 * are not errors (unicode column names, a huge polygon, a shapefile without .prj but with `crs`) load.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MeridianError } from '@meridian/core';
import type { TaskContext } from '@meridian/orchestrator';
import type { VectorJobResult } from '../src/index.ts';
import { loadStage } from '../src/vector/load-stage.ts';
import { validateSource } from '../src/vector/validate-stage.ts';
import { processVectorParameters, type ProcessVectorParameters } from '../src/vector/parameters.ts';
import { Value } from 'typebox/value';
import { CONTAINER, createVectorHarness, jobError, type VectorHarness } from './vector-harness.ts';

let h: VectorHarness;

before(async () => {
  h = await createVectorHarness('postgres');
});
after(async () => {
  await h?.close();
});

/** Everything a load could leave: tables of geo and etl, catalog rows, STAC items, revisions. */
async function leftovers(): Promise<Record<string, unknown[]>> {
  const tables = await h.db.query<{ name: string }>(
    "SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE schemaname IN ('geo', 'etl') AND tablename <> 'table_catalog' ORDER BY 1",
  );
  const views = await h.db.query<{ name: string }>("SELECT schemaname || '.' || viewname AS name FROM pg_views WHERE schemaname = 'geo'");
  const catalog = await h.db.query<{ table_name: string }>('SELECT table_name FROM geo.table_catalog');
  const items = await h.db.query<{ id: string }>('SELECT id FROM catalog.items');
  const revisions = await h.db.query<{ table_name: string }>("SELECT table_name FROM app.vector_revisions WHERE status = 'current'");
  return {
    tables: tables.rows.map((r) => r.name),
    views: views.rows.map((r) => r.name),
    catalog: catalog.rows.map((r) => r.table_name),
    items: items.rows.map((r) => r.id),
    revisions: revisions.rows.map((r) => r.table_name),
  };
}

const NOTHING = { tables: [], views: [], catalog: [], items: [], revisions: [] };

async function failsCleanly(fixture: string | null, code: string, parameters: Record<string, unknown> = {}): Promise<string> {
  const key = fixture ? await h.upload(h.fixtures[fixture]!) : 'missing.geojson';
  const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'bad_input', ...parameters });
  assert.equal(job.status, 'failed');
  const error = jobError(job);
  assert.equal(error.code, code, error.message);
  assert.equal(error.user_fixable, true);
  assert.ok(error.remedy.length > 10);
  assert.deepEqual(await leftovers(), NOTHING);
  return error.message;
}

describe('process_vector: bad input fails cleanly and leaves nothing behind', () => {
  it('a blob that does not exist: FILE_NOT_FOUND', async () => {
    await failsCleanly(null, 'FILE_NOT_FOUND');
  });

  it('truncated GeoJSON, HTML named .geojson, an empty file: CORRUPTED_FILE', async () => {
    assert.match(await failsCleanly('truncated_geojson', 'CORRUPTED_FILE'), /truncated\.geojson/);
    await failsCleanly('html_geojson', 'CORRUPTED_FILE');
    assert.match(await failsCleanly('empty_geojson', 'CORRUPTED_FILE'), /empty \(0 bytes\)/);
  });

  it('a zip with two shapefiles or none: ARCHIVE_INVALID; a layer_name the zip lacks: LAYER_NOT_FOUND', async () => {
    assert.match(await failsCleanly('two_shapefiles_zip', 'ARCHIVE_INVALID'), /2 shapefiles \(zones, rivers\); give layer_name/);
    assert.match(await failsCleanly('no_shapefile_zip', 'ARCHIVE_INVALID'), /no shapefile/);
    await failsCleanly('two_shapefiles_zip', 'LAYER_NOT_FOUND', { layer_name: 'lakes' });
  });

  it('a shapefile without .dbf: SHAPEFILE_INCOMPLETE; without .prj: CRS_MISSING, loaded when crs is given', async () => {
    const shp = h.fixtures.nodbf_shp!;
    for (const ext of ['shp', 'shx', 'prj']) await h.upload(shp.replace(/shp$/, ext), `nodbf/zones.${ext}`);
    let job = await h.run('process_vector', { container_name: CONTAINER, blob_name: 'nodbf/zones.shp', table_name: 'bad_input' });
    assert.equal(jobError(job).code, 'SHAPEFILE_INCOMPLETE');
    assert.match(jobError(job).message, /no \.dbf/);
    const noprj = h.fixtures.noprj_shp!;
    for (const ext of ['shp', 'shx', 'dbf']) await h.upload(noprj.replace(/shp$/, ext), `noprj/zones.${ext}`);
    job = await h.run('process_vector', { container_name: CONTAINER, blob_name: 'noprj/zones.shp', table_name: 'bad_input' });
    assert.equal(jobError(job).code, 'CRS_MISSING');
    assert.match(jobError(job).message, /no \.prj/);
    assert.deepEqual(await leftovers(), NOTHING);
    job = await h.run('process_vector', { container_name: CONTAINER, blob_name: 'noprj/zones.shp', table_name: 'given_crs', crs: 'EPSG:32633' });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal((job.result as VectorJobResult).source_crs, 'EPSG:32633');
    await h.run('unpublish_vector', { table_name: 'given_crs' });
  });

  it('CSV: latitude 999 is COORDINATES_OUT_OF_RANGE, a header-only file VECTOR_NO_FEATURES, missing columns CSV_COLUMNS_MISSING', async () => {
    assert.match(await failsCleanly('lat999_csv', 'COORDINATES_OUT_OF_RANGE', { lat_column: 'latitude', lon_column: 'longitude' }), /latitudes from 47\.3 to 999/);
    await failsCleanly('header_only_csv', 'VECTOR_NO_FEATURES', { lat_column: 'latitude', lon_column: 'longitude' });
    assert.match(await failsCleanly('places_csv', 'CSV_COLUMNS_MISSING'), /lat_column and lon_column, or wkt_column/);
    assert.match(await failsCleanly('places_csv', 'CSV_COLUMNS_MISSING', { lat_column: 'lat', lon_column: 'lon' }), /its columns are "name", "latitude"/);
  });

  it('a KML without placemarks: VECTOR_NO_FEATURES', async () => {
    await failsCleanly('empty_kml', 'VECTOR_NO_FEATURES');
  });

  it('a file of another kind: UNSUPPORTED_FILE_FORMAT', async () => {
    await failsCleanly('text', 'UNSUPPORTED_FILE_FORMAT');
  });

  it('parameters naming columns the data lacks: COLUMN_NOT_FOUND; a split column with over 20 values: SPLIT_COLUMN_INVALID (after loading)', async () => {
    await failsCleanly('places_geojson', 'COLUMN_NOT_FOUND', { temporal_property: 'when' });
    await failsCleanly('places_geojson', 'COLUMN_NOT_FOUND', { indexes: { attributes: ['nope'] } });
    await failsCleanly('places_geojson', 'JOB_PARAMETERS_INVALID', { temporal_property: 'name' });
    await failsCleanly('many_points_geojsonl', 'SPLIT_COLUMN_INVALID', { split_column: 'label' });
  });

  it('a table that exists: TABLE_EXISTS, and the existing table is untouched', async () => {
    const key = await h.upload(h.fixtures.places_geojson!);
    const first = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'taken' });
    assert.equal(first.status, 'completed');
    const again = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'taken', title: 'again' });
    assert.equal(jobError(again).code, 'TABLE_EXISTS');
    const { rows } = await h.db.query<{ n: number; title: string }>('SELECT (SELECT count(*)::int FROM geo.taken) AS n, (SELECT title FROM geo.table_catalog WHERE table_name = $1) AS title', ['taken']);
    assert.deepEqual(rows[0], { n: 9, title: 'taken' });
    await h.run('unpublish_vector', { table_name: 'taken' });
    assert.deepEqual(await leftovers(), NOTHING);
  });

  it('a file over the size limit: FILE_TOO_LARGE, before anything is read', async () => {
    const key = await h.upload(h.fixtures.places_geojson!);
    const parameters = Value.Default(processVectorParameters, { container_name: CONTAINER, blob_name: key }) as ProcessVectorParameters;
    await assert.rejects(
      validateSource({ db: h.db, store: h.store, home: h.config.home, maxInputBytes: 100 }, parameters, new AbortController().signal),
      (e: MeridianError) => e.code === 'FILE_TOO_LARGE' && e.spec.userFixable,
    );
  });

  it('a feature larger than the reader takes: FEATURE_TOO_LARGE, and the staging table is dropped', async () => {
    const key = await h.upload(h.fixtures.huge_polygon_geojson!);
    const parameters = Value.Default(processVectorParameters, { container_name: CONTAINER, blob_name: key }) as ProcessVectorParameters;
    const signal = new AbortController().signal;
    const plan = await validateSource({ db: h.db, store: h.store, home: h.config.home, maxInputBytes: 1e9 }, parameters, signal);
    const ctx = { jobId: 'f'.repeat(64), attempt: 1, signal, lastCheckpoint: null, checkpoint: async () => {}, progress: () => {} } as unknown as TaskContext;
    await assert.rejects(
      loadStage({ db: h.db, store: h.store, home: h.config.home }, plan, ctx, { chunkRows: 1000, maxRecordChars: 100_000 }),
      (e: MeridianError) => e.code === 'FEATURE_TOO_LARGE',
    );
    assert.deepEqual(await leftovers(), NOTHING);
  });

  it('loads a huge polygon (100,000 vertices) valid and whole', async () => {
    const key = await h.upload(h.fixtures.huge_polygon_geojson!);
    const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'huge' });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const { rows } = await h.db.query<{ points: number; valid: boolean }>('SELECT ST_NPoints(geom) AS points, ST_IsValid(geom) AS valid FROM geo.huge');
    assert.deepEqual(rows, [{ points: 100_001, valid: true }]);
    await h.run('unpublish_vector', { table_name: 'huge' });
  });

  it('loads unicode, reserved and clashing column names sanitized, the originals in the catalog', async () => {
    const key = await h.upload(h.fixtures.unicode_geojson!);
    const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'unicode' });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const { rows } = await h.db.query<{ columns: { name: string; original_name: string }[] }>("SELECT columns FROM geo.table_catalog WHERE table_name = 'unicode'");
    assert.deepEqual(Object.fromEntries(rows[0]!.columns.map((c) => [c.original_name, c.name])), {
      名前: 'column_1', Prénom: 'prenom', 'Größe (m²)': 'grosse_m2', order: 'order_', select: 'select_', Name: 'name', name: 'name_2',
      '1st': 't_1st', ogc_fid: 'ogc_fid_', geom: 'geom_', 'a-b c': 'a_b_c',
    });
    const values = await h.db.query('SELECT column_1, prenom, grosse_m2, order_, name, name_2, t_1st, ogc_fid_, geom_ FROM geo.unicode');
    assert.deepEqual(values.rows, [{ column_1: 'a', prenom: 'b', grosse_m2: 1.5, order_: 1, name: 'upper', name_2: 'lower', t_1st: true, ogc_fid_: 7, geom_: 'text' }]);
    await h.run('unpublish_vector', { table_name: 'unicode' });
    assert.deepEqual(await leftovers(), NOTHING);
  });
});
