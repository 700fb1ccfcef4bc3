/**
 * The life of a loaded table on PostgreSQL: a chunk retried after a crash never duplicates rows; an
 * overwrite builds beside and swaps in one transaction (readers see the old or the new table, never a
 * half); split views and the temporal extent; the STAC item named by the platform contract; revisions;
 * unpublish with its dry run and its 404.
 */
import { describe, it, before, after } from 'node:test';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { Checkpoint, TaskContext } from '@meridian/orchestrator';
import { Value } from 'typebox/value';
import { vectorInventory, type VectorJobResult, type VectorUnpublishResult } from '../src/index.ts';
import { loadStage, type LoadCounts } from '../src/vector/load-stage.ts';
import { processVectorParameters, type ProcessVectorParameters } from '../src/vector/parameters.ts';
import { validateSource } from '../src/vector/validate-stage.ts';
import { CONTAINER, createVectorHarness, jobError, type VectorHarness } from './vector-harness.ts';

let h: VectorHarness;

before(async () => {
  h = await createVectorHarness('postgres');
});
after(async () => {
  await h?.close();
});

async function process(fixture: string, parameters: Record<string, unknown>): Promise<VectorJobResult> {
  const key = await h.upload(h.fixtures[fixture]!);
  const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, ...parameters });
  assert.equal(job.status, 'completed', JSON.stringify(job.error));
  return job.result as VectorJobResult;
}

/** A task context driven by the test: checkpoints are kept, and one of them can crash the "worker". */
function testContext(jobId: string, lastCheckpoint: Checkpoint | null, crashAtCheckpoint: number | null) {
  const saved: Checkpoint[] = [];
  const ctx = {
    jobId, attempt: lastCheckpoint ? 2 : 1, signal: new AbortController().signal, lastCheckpoint,
    async checkpoint(phase: string, data: unknown) {
      if (saved.length === crashAtCheckpoint) throw new Error('the worker crashed before the checkpoint was saved');
      saved.push({ phase, data: structuredClone(data) });
    },
    progress() {},
  } as unknown as TaskContext;
  return { ctx, saved };
}

describe('process_vector: retries, overwrite, split, STAC, unpublish', () => {
  it('a chunk retried after a crash deletes its batch first: no row is duplicated or lost', async () => {
    const key = await h.upload(h.fixtures.many_points_geojsonl!);
    const parameters = Value.Default(processVectorParameters, { container_name: CONTAINER, blob_name: key }) as ProcessVectorParameters;
    const signal = new AbortController().signal;
    const plan = await validateSource({ db: h.db, store: h.store, home: h.config.home, maxInputBytes: 1e9 }, parameters, signal);
    const jobId = 'a'.repeat(64);
    const options = { chunkRows: 500, maxRecordChars: 1e6 };
    const deps = { db: h.db, store: h.store, home: h.config.home };
    // Chunk 2 (rows 1001–1500) is written, then the worker dies before its checkpoint.
    const first = testContext(jobId, null, 2);
    await assert.rejects(loadStage(deps, plan, first.ctx, options), /crashed/);
    const staging = `etl.load_${jobId.slice(0, 40)}`;
    const before = await h.db.query<{ n: number; batches: number }>(`SELECT count(*)::int AS n, max(etl_batch_id) AS batches FROM ${staging}`);
    assert.deepEqual(before.rows[0], { n: 1500, batches: 2 });
    assert.equal((first.saved.at(-1)!.data as LoadCounts).next_batch, 2);
    const retry = testContext(jobId, first.saved.at(-1)!, null);
    const result = await loadStage(deps, plan, retry.ctx, options);
    assert.equal(result.rows_loaded, 2500);
    const after = await h.db.query<{ n: number; ids: number; min: number; max: number; batches: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT ogc_fid)::int AS ids, min(ogc_fid) AS min, max(ogc_fid) AS max, count(DISTINCT etl_batch_id)::int AS batches FROM ${staging}`,
    );
    assert.deepEqual(after.rows[0], { n: 2500, ids: 2500, min: 1, max: 2500, batches: 5 });
    await h.db.execScript(`DROP TABLE ${staging}`);
  });

  it('reads through a blob store without local paths (Azure): parts downloaded under MERIDIAN_HOME, then removed', async () => {
    // The file store seen as a remote one: no localPath, so the loader must download the shapefile's parts.
    const remote = new Proxy(h.store, {
      get(target, property) {
        if (property === 'localPath') return undefined;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const shp = h.fixtures.zones_shp!;
    for (const ext of ['shp', 'shx', 'dbf', 'prj']) await h.upload(shp.replace(/shp$/, ext), `remote/Zones.${ext.toUpperCase()}`);
    const parameters = Value.Default(processVectorParameters, { container_name: CONTAINER, blob_name: 'remote/Zones.SHP' }) as ProcessVectorParameters;
    const signal = new AbortController().signal;
    const plan = await validateSource({ db: h.db, store: remote, home: h.config.home, maxInputBytes: 1e9 }, parameters, signal);
    assert.equal(plan.source_crs, 'EPSG:32633');
    const { ctx } = testContext('d'.repeat(64), null, null);
    const loaded = await loadStage({ db: h.db, store: remote, home: h.config.home }, plan, ctx, { chunkRows: 1000, maxRecordChars: 1e6 });
    assert.equal(loaded.rows_loaded, 3);
    assert.deepEqual(await readdir(join(h.config.home, 'work', 'vector')), []);
    await h.db.execScript(`DROP TABLE etl.${loaded.staging}`);
  });

  it('overwrite builds the new table beside the old one and swaps it in one transaction', async () => {
    const first = await process('places_geojson', { table_name: 'swap', title: 'First' });
    assert.equal(first.revision, 1);
    // Readers keep counting while the overwrite runs: they must only ever see 9 (old) or 3 (new) rows.
    let reading = true;
    const seen = new Set<number>();
    const reader = (async () => {
      while (reading) {
        const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM geo.swap');
        seen.add(rows[0]!.n);
      }
    })();
    const second = await process('zones_geojson', { table_name: 'swap', title: 'Second', overwrite: true });
    reading = false;
    await reader;
    assert.equal(second.revision, 2);
    assert.ok([...seen].every((n) => n === 9 || n === 3), `readers saw ${[...seen].join(', ')}`);
    const { rows } = await h.db.query<{ n: number; title: string; geometry_type: string; revision: number }>(
      "SELECT (SELECT count(*)::int FROM geo.swap) AS n, title, geometry_type, revision FROM geo.table_catalog WHERE table_name = 'swap'",
    );
    assert.deepEqual(rows[0], { n: 3, title: 'Second', geometry_type: 'MultiPolygon', revision: 2 });
    const revisions = await h.db.query<{ revision: number; status: string; supersedes: number | null; superseded_by: number | null }>(
      "SELECT revision, status, supersedes, superseded_by FROM app.vector_revisions WHERE table_name = 'swap' ORDER BY revision",
    );
    assert.deepEqual(revisions.rows.map((r) => [r.revision, r.status]), [[1, 'superseded'], [2, 'current']]);
    assert.ok(revisions.rows[0]!.superseded_by !== null && revisions.rows[1]!.supersedes !== null);
    const leftovers = await h.db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'etl'");
    assert.deepEqual(leftovers.rows, []);
  });

  it('an overwrite that changes the layout replaces every object of the previous load', async () => {
    await process('mixed_geojson', { table_name: 'layout' });
    const again = await process('places_geojson', { table_name: 'layout', overwrite: true });
    assert.deepEqual(again.table_names, ['layout']);
    const { rows } = await h.db.query<{ name: string }>("SELECT table_name AS name FROM geo.table_catalog WHERE table_name LIKE 'layout%' ORDER BY 1");
    assert.deepEqual(rows.map((r) => r.name), ['layout']);
    const items = await h.db.query<{ id: string }>("SELECT id FROM catalog.items WHERE id LIKE 'layout%' ORDER BY 1");
    assert.deepEqual(items.rows.map((r) => r.id), ['layout']);
  });

  it('split views: one per value of split_column, each with its catalog row; the temporal extent of temporal_property', async () => {
    const result = await process('places_geojson', { table_name: 'towns', split_column: 'category', temporal_property: 'updated', indexes: { attributes: ['name'], temporal: ['founded'] } });
    assert.deepEqual(result.views, ['towns_city', 'towns_port', 'towns_town', 'towns_none']);
    const { rows } = await h.db.query<{ table_name: string; feature_count: number; n: number }>(
      `SELECT table_name, feature_count, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM geo.%I', table_name), false, true, '')))[1]::text::int AS n
         FROM geo.table_catalog WHERE table_name LIKE 'towns%' ORDER BY table_name`,
    );
    assert.deepEqual(rows.map((r) => [r.table_name, r.feature_count, r.n]), [
      ['towns', 9, 9], ['towns_city', 4, 4], ['towns_none', 1, 1], ['towns_port', 3, 3], ['towns_town', 1, 1],
    ]);
    const temporal = await h.db.query<{ temporal_property: string; start: string; end: string }>(
      "SELECT temporal_property, to_char(temporal_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS start, to_char(temporal_end AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS end FROM geo.table_catalog WHERE table_name = 'towns'",
    );
    assert.deepEqual(temporal.rows[0], { temporal_property: 'updated', start: '2016-02-29 10:00:00', end: '2022-01-01 12:30:00' });
    const indexes = await h.db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = 'geo' AND tablename = 'towns' ORDER BY 1");
    assert.deepEqual(indexes.rows.map((r) => r.indexname), ['towns_founded_idx', 'towns_geom_idx', 'towns_name_idx', 'towns_pkey', 'towns_updated_idx']);
  });

  it('names the STAC item by the platform contract and carries platform:* properties and the classification', async () => {
    const result = await process('zones_geojson', {
      table_name: 't_0085581_dr0104298_v10', dataset_id: '0085581', resource_id: 'DR0104298', version_id: 'v1.0', access_level: 'public', served: false,
    });
    assert.equal(result.stac_item_id, '0085581-dr0104298-v10');
    const { rows } = await h.db.query<{ content: { properties: Record<string, unknown> }; access_level: string; served: boolean }>(
      "SELECT content, access_level, served FROM catalog.items WHERE collection = 'system-vectors' AND id = '0085581-dr0104298-v10'",
    );
    assert.equal(rows[0]!.access_level, 'public');
    assert.equal(rows[0]!.served, false);
    const p = rows[0]!.content.properties;
    assert.deepEqual([p['platform:dataset_id'], p['platform:resource_id'], p['platform:version_id']], ['0085581', 'DR0104298', 'v1.0']);
    const catalog = await h.db.query<{ served: boolean; access_level: string }>("SELECT served, access_level FROM geo.table_catalog WHERE table_name = 't_0085581_dr0104298_v10'");
    assert.deepEqual(catalog.rows[0], { served: false, access_level: 'public' });
  });

  it('unpublish: a dry run lists everything, the real run removes it (a rerun reports the same), a missing table is TABLE_NOT_FOUND', async () => {
    const loaded = await process('mixed_geojson', { table_name: 'gone', split_column: 'kind' });
    const dry = await h.run('unpublish_vector', { table_name: 'gone', dry_run: true });
    const inventory = (dry.result as VectorUnpublishResult).would_delete!;
    assert.deepEqual(inventory.tables, loaded.table_names);
    assert.equal(inventory.views.length, 5);
    assert.equal(inventory.catalog_rows.length, 8);
    assert.deepEqual(inventory.stac_items.map((i) => i.id), ['gone-point', 'gone-line', 'gone-polygon']);
    const member = await h.run('unpublish_vector', { table_name: 'gone_point' });
    assert.equal(jobError(member).code, 'JOB_PARAMETERS_INVALID');
    const live = await h.run('unpublish_vector', { table_name: 'gone' });
    assert.equal(live.status, 'completed');
    assert.deepEqual((live.result as VectorUnpublishResult).deleted, inventory);
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'gone%' AND relnamespace = 'geo'::regnamespace)
            + (SELECT count(*) FROM geo.table_catalog WHERE table_name LIKE 'gone%')
            + (SELECT count(*) FROM catalog.items WHERE id LIKE 'gone%') AS n`,
    );
    assert.equal(Number(rows[0]!.n), 0);
    const status = await h.db.query<{ status: string }>("SELECT status FROM app.vector_revisions WHERE table_name = 'gone'");
    assert.deepEqual(status.rows, [{ status: 'unpublished' }]);
    assert.equal(await vectorInventory(h.db, 'gone'), null);
    // The same job run again (a resubmission) reports what it removed: repeating an unpublish is idempotent.
    const rerun = await h.service.waitFor((await h.service.resubmit(live.job_id)).job_id, { pollMs: 50 });
    assert.deepEqual((rerun.result as VectorUnpublishResult).deleted!.tables, loaded.table_names);
    for (const dryRun of [false, true]) {
      const missing = await h.run('unpublish_vector', { table_name: 'never_loaded', dry_run: dryRun });
      assert.equal(jobError(missing).code, 'TABLE_NOT_FOUND');
    }
    // The name is free again.
    const reload = await process('places_geojson', { table_name: 'gone' });
    assert.equal(reload.revision, 2);
  });
});
