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
 * "missing", or — when it contains "held" — save a checkpoint and wait for `releaseHeld()`: enough to
 * drive every release transition without GDAL. The server's lifecycle tests run the real ETL.
 */
const STAND_IN_TYPES = ['process_vector', 'process_raster', 'process_raster_collection', 'unpublish_vector', 'unpublish_raster'];

function standInHandler(held: Promise<void>): TaskHandler {
  return {
    taskType: 'stand_in_etl',
    async run(input, ctx) {
      const blob = input.parameters.blob_name;
      if (typeof blob === 'string' && blob.includes('missing')) throw new MeridianError('FILE_NOT_FOUND', `no blob ${blob}`);
      if (typeof blob === 'string' && blob.includes('held')) {
        await ctx.checkpoint('converting', { tiles_done: 3, tiles_total: 8 });
        await held;
      }
      return { ok: true };
    },
  };
}

const quiet: EngineLogger = { child: () => quiet, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface Harness {
  ctx: PlatformContext;
  testDb: TestDb;
  /** Serving calls in order: ['serve', release_id, level] / ['unserve', release_id]. */
  serving: string[][];
  events: { type: PlatformEventType; release: ReleaseRow }[];
  /** Starts the worker (once): queued jobs run from now on. */
  startWorker(): Promise<void>;
  /** Lets the stand-in tasks holding on "held" blobs finish. */
  releaseHeld(): void;
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
  let releaseHeld = () => {};
  const held = new Promise<void>((resolve) => {
    releaseHeld = resolve;
  });
  const worker = new Worker({
    db: testDb.db,
    handlers: new HandlerRegistry([standInHandler(held)]),
    log: quiet,
    appVersion: '9.9.9-test',
    timing: { leaseMs: 1_500, heartbeatMs: 150, pollMs: 30, janitorIntervalMs: 150, shutdownGraceMs: 1_000, retryBaseMs: 40, queuedTimeoutSeconds: 3_600, stallTimeoutSeconds: 3_600 },
    concurrency: 2,
  });
  let started = false;
  const startWorker = async () => {
    if (started) return;
    started = true;
    await worker.start();
  };
  return {
    ctx,
    testDb,
    serving,
    events,
    startWorker,
    releaseHeld,
    async finish(jobId) {
      await startWorker();
      return jobs.waitFor(jobId, { pollMs: 30 });
    },
    async count(table) {
      const { rows } = await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]!.n;
    },
    async close() {
      releaseHeld();
      await worker.stop();
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
