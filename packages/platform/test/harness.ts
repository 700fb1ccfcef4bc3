import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import { createTestDb, type TestDb } from '@meridian/db/testing';
import { HandlerRegistry, JobCatalog, JobService, Worker, defineJobType, type EngineLogger, type JobDetail, type TaskHandler } from '@meridian/orchestrator';
import { openBlobStore } from '@meridian/storage';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformContext, PlatformEventType, ReleaseRow } from '../src/index.ts';

/**
 * The platform on a real database and a real job engine, with stand-in ETL job types under the real
 * names: they accept any parameters and succeed, or fail with FILE_NOT_FOUND when the blob name contains
 * "missing" — enough to drive every release transition without GDAL. The server's lifecycle tests run
 * the real ETL.
 */
const STAND_IN_TYPES = ['process_vector', 'process_raster', 'process_raster_collection', 'unpublish_vector', 'unpublish_raster'];

const standInHandler: TaskHandler = {
  taskType: 'stand_in_etl',
  async run(input) {
    const blob = input.parameters.blob_name;
    if (typeof blob === 'string' && blob.includes('missing')) throw new MeridianError('FILE_NOT_FOUND', `no blob ${blob}`);
    return { ok: true };
  },
};

const quiet: EngineLogger = { child: () => quiet, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface Harness {
  ctx: PlatformContext;
  testDb: TestDb;
  /** Serving calls in order: ['serve', release_id, level] / ['unserve', release_id]. */
  serving: string[][];
  events: { type: PlatformEventType; release: ReleaseRow }[];
  /** Runs queued jobs until `jobId` has finished. */
  finish(jobId: string): Promise<JobDetail>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const testDb = await createTestDb('postgres');
  const home = await mkdtemp(join(tmpdir(), 'meridian-platform-'));
  const catalog = new JobCatalog(STAND_IN_TYPES.map((name) => defineJobType({
    name,
    version: 1,
    description: `stand-in for ${name}`,
    parameters: Type.Object({}, { additionalProperties: true }),
    stages: [{ name: 'run', taskType: 'stand_in_etl', fan: 'single' }],
  })));
  const jobs = new JobService(testDb.db, catalog, '9.9.9-test');
  const serving: string[][] = [];
  const events: Harness['events'] = [];
  const ctx: PlatformContext = {
    db: testDb.db,
    jobs,
    store: openBlobStore({ kind: 'file', root: join(home, 'storage') }),
    publicUrl: 'https://meridian.example.test',
    appVersion: '9.9.9-test',
    serving: {
      async serve(release, level) {
        serving.push(['serve', release.release_id, level]);
      },
      async unserve(release) {
        serving.push(['unserve', release.release_id]);
      },
    },
    events: {
      async emit(type, release) {
        events.push({ type, release });
      },
    },
  };
  const worker = new Worker({
    db: testDb.db,
    handlers: new HandlerRegistry([standInHandler]),
    log: quiet,
    appVersion: '9.9.9-test',
    timing: { leaseMs: 1_500, heartbeatMs: 150, pollMs: 30, janitorIntervalMs: 150, shutdownGraceMs: 1_000, retryBaseMs: 40, queuedTimeoutSeconds: 3_600, stallTimeoutSeconds: 3_600 },
    concurrency: 2,
  });
  let started = false;
  return {
    ctx,
    testDb,
    serving,
    events,
    async finish(jobId) {
      if (!started) {
        started = true;
        await worker.start();
      }
      return jobs.waitFor(jobId, { pollMs: 30 });
    },
    async count(table) {
      const { rows } = await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]!.n;
    },
    async close() {
      await worker.stop();
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
