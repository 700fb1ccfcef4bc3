/**
 * The vector ETL on the real job engine: a cloned test database, a file blob store in a temporary home,
 * the generated fixtures, a JobService and one in-process Worker running the vector handlers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadConfig, type Config } from '@meridian/config';
import type { Db, DbKind } from '@meridian/db';
import { createTestDb } from '@meridian/db/testing';
import { HandlerRegistry, JobCatalog, JobService, Worker, type EngineLogger, type JobDetail, type StoredError } from '@meridian/orchestrator';
import { openBlobStore, type BlobStore } from '@meridian/storage';
import { writeVectorFixtures, type VectorFixtures } from '../../../fixtures/vector-fixtures.ts';
import { VECTOR_JOB_TYPES, vectorTaskHandlers, type LoadOptions } from '../src/index.ts';

export const CONTAINER = 'bronze-vectors';

const silent: EngineLogger = {
  child: () => silent,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** The error a failed job ended with (an assertion failure when it has none). */
export function jobError(job: JobDetail): StoredError {
  if (!job.error) throw new Error(`job ${job.job_id} is ${job.status} without an error`);
  return job.error as unknown as StoredError;
}

export interface VectorEngine {
  service: JobService;
  /** Submits a job and waits until it has ended. */
  run(jobType: string, parameters: Record<string, unknown>): Promise<JobDetail>;
  stop(): Promise<void>;
}

/** A JobService for the vector job types and one in-process Worker running their handlers. */
export async function startVectorEngine(resources: { db: Db; store: BlobStore; config: Config }, load?: LoadOptions): Promise<VectorEngine> {
  const { db, store, config } = resources;
  const service = new JobService(db, new JobCatalog(VECTOR_JOB_TYPES), 'test');
  const worker = new Worker({
    db,
    handlers: new HandlerRegistry(vectorTaskHandlers({ db, store, config, log: silent, ...(load ? { load } : {}) })),
    log: silent,
    appVersion: 'test',
    timing: config.jobs,
    concurrency: 2,
  });
  await worker.start();
  return {
    service,
    async run(jobType, parameters) {
      const { job } = await service.submit(jobType, parameters);
      return service.waitFor(job.job_id, { pollMs: 50 });
    },
    stop: () => worker.stop(),
  };
}

export interface VectorHarness extends Omit<VectorEngine, 'stop'> {
  db: Db;
  kind: DbKind;
  config: Config;
  store: BlobStore;
  fixtures: VectorFixtures;
  /** Puts a fixture file in the bronze container; returns its key. */
  upload(path: string, key?: string): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  load?: LoadOptions;
  env?: Record<string, string>;
}

/** Puts a file in the bronze container of `store`; returns its key. */
export async function uploadFile(store: BlobStore, path: string, key = basename(path)): Promise<string> {
  await store.put({ container: CONTAINER, key }, await readFile(path));
  return key;
}

export async function createVectorHarness(kind: DbKind, options: HarnessOptions = {}): Promise<VectorHarness> {
  const home = await mkdtemp(join(tmpdir(), 'meridian-vector-'));
  const [testDb, fixtures] = await Promise.all([createTestDb(kind), writeVectorFixtures(join(home, 'fixtures'))]);
  const config = loadConfig({
    MERIDIAN_HOME: home,
    MERIDIAN_LOG_LEVEL: 'silent',
    MERIDIAN_WORKER_POLL_MS: '50',
    MERIDIAN_TASK_RETRY_BASE_MS: '20',
    MERIDIAN_JANITOR_INTERVAL_MS: '60000',
    ...options.env,
  }, process.cwd());
  const store = openBlobStore(config.storage);
  const db = testDb.db;
  const engine = await startVectorEngine({ db, store, config }, options.load);
  return {
    db,
    kind,
    config,
    store,
    fixtures,
    service: engine.service,
    run: engine.run,
    upload: (path, key) => uploadFile(store, path, key),
    async close() {
      await engine.stop();
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
