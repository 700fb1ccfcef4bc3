import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@meridian/config';
import { createPgTestDb, type TestDb } from '@meridian/db/testing';
import { openBlobStore } from '@meridian/storage';
import { ADMIN_CLASSIFICATION, createCollection, getItem, insertItems, latestConsistencyReport, storageHref } from '@meridian/stac';
import { collectionDoc, itemDoc } from '../../../packages/stac/test/support.ts';
import { jobService, startWorker } from '../src/job-engine.ts';
import { createLogger } from '../src/logger.ts';
import { VERSION, type Runtime } from '../src/runtime.ts';
import { runToEnd } from './cli-process.ts';

describe('meridian catalog check and the catalog_consistency_check job', () => {
  let testDb: TestDb;
  let home: string;
  let env: Record<string, string>;
  let runtime: Runtime;

  before(async () => {
    testDb = await createPgTestDb();
    home = await mkdtemp(join(tmpdir(), 'meridian-catalog-check-'));
    env = { MERIDIAN_DATABASE_URL: testDb.location, MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'warn' };
    const config = loadConfig({ ...env, MERIDIAN_LOG_LEVEL: 'silent', MERIDIAN_WORKER_POLL_MS: '100' }, process.cwd());
    runtime = { config, log: createLogger(config.logLevel), db: testDb.db, store: openBlobStore(config.storage), startedAt: new Date(), version: VERSION };
    await createCollection(testDb.db, collectionDoc('rasters'), ADMIN_CLASSIFICATION);
    const orphan = (id: string) => ({ ...itemDoc(id, 0, 0, '2021-01-01T00:00:00Z'), assets: { data: { href: storageHref(config.publicUrl, 'silver-cogs', `${id}.tif`), roles: ['data'] } } });
    await testDb.db.transaction((tx) => insertItems(tx, 'rasters', [orphan('lost-1'), orphan('lost-2')], ADMIN_CLASSIFICATION));
  });
  after(async () => {
    await testDb.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('reports (exit 3), repairs, and then finds the catalog consistent (exit 0)', async () => {
    const check = await runToEnd(['catalog', 'check'], env);
    assert.equal(check.code, 3, check.stderr);
    assert.match(check.stdout, /stac_item_data_missing rasters\/lost-1/);
    assert.match(check.stdout, /raster: 0 checked/);
    assert.ok(await getItem(testDb.db, 'rasters', 'lost-1', 'reviewer'));
    const json = await runToEnd(['catalog', 'check', '--json'], env);
    assert.equal(JSON.parse(json.stdout).totals.findings, 2);
    const repair = await runToEnd(['catalog', 'check', '--repair'], env);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    assert.match(repair.stdout, /repaired: item_deleted/);
    assert.equal(await getItem(testDb.db, 'rasters', 'lost-1', 'reviewer'), undefined);
    const clean = await runToEnd(['catalog', 'check'], env);
    assert.equal(clean.code, 0);
    assert.equal((await runToEnd(['catalog', 'verify'], env)).code, 2);
  });

  it('runs as a job on a worker, submitted once per period', async () => {
    await testDb.db.transaction((tx) => insertItems(tx, 'rasters', [{ ...itemDoc('lost-3', 0, 0, '2021-01-01T00:00:00Z'), assets: { data: { href: storageHref(runtime.config.publicUrl, 'silver-cogs', 'lost-3.tif'), roles: ['data'] } } }], ADMIN_CLASSIFICATION));
    const submitted = await runToEnd(['catalog', 'check', '--submit', '--repair'], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const again = await runToEnd(['catalog', 'check', '--submit', '--repair'], env);
    const jobId = /job ([0-9a-f]{64})/.exec(submitted.stdout)![1]!;
    assert.match(again.stdout, new RegExp(`already submitted: job ${jobId}`));
    const worker = await startWorker(runtime, { concurrency: 1, taskTypes: 'catalog_*' });
    try {
      const service = jobService(runtime);
      const deadline = Date.now() + 30_000;
      let job = await service.get(jobId);
      while (job.status !== 'completed' && Date.now() < deadline) {
        assert.notEqual(job.status, 'failed', JSON.stringify(job.error));
        await new Promise((r) => setTimeout(r, 100));
        job = await service.get(jobId);
      }
      assert.equal(job.status, 'completed');
      const report = await latestConsistencyReport(testDb.db);
      assert.deepEqual(report!.totals, { findings: 1, repaired: 1 });
      assert.equal(await getItem(testDb.db, 'rasters', 'lost-3', 'reviewer'), undefined);
    } finally {
      await worker.stop();
    }
  });
});
