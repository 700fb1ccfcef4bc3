/**
 * What the raster tests share: a migrated PostgreSQL test database, a file blob store and MERIDIAN_HOME in
 * a temp directory, the generated fixtures uploaded to a bronze container, a TaskContext for calling
 * handlers directly, GDAL helpers for cross-checks, and the STAC helper's validator.
 */
import { execFile } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type Config } from '@meridian/config';
import type { DbKind } from '@meridian/db';
import { createTestDb, type TestDb } from '@meridian/db/testing';
import { TaskAbort, type Checkpoint, type EngineLogger, type Progress, type TaskContext } from '@meridian/orchestrator';
import { FileBlobStore, type BlobStore } from '@meridian/storage';
import { writeRasterFixtures, type RasterFixtures } from '../../../fixtures/raster-fixtures.ts';
import type { RasterDeps } from '../src/raster/deps.ts';

export const run = promisify(execFile);
export const BRONZE = 'bronze-uploads';
export const SILVER = 'silver-rasters';

export const silentLog: EngineLogger = { child: () => silentLog, debug() {}, info() {}, warn() {}, error() {} };

export interface RasterTestEnv {
  testDb: TestDb;
  deps: RasterDeps;
  store: BlobStore;
  config: Config;
  home: string;
  fixtures: RasterFixtures;
  close(): Promise<void>;
}

export async function rasterTestEnv(env: Record<string, string> = {}, kind: DbKind = 'postgres'): Promise<RasterTestEnv> {
  const home = await mkdtemp(join(tmpdir(), 'meridian-raster-'));
  const testDb = await createTestDb(kind);
  const config = loadConfig({ MERIDIAN_HOME: home, MERIDIAN_PUBLIC_URL: 'http://meridian.test', ...env }, home);
  const store = new FileBlobStore(join(home, 'storage'));
  const fixtures = await writeRasterFixtures(await mkdtemp(join(tmpdir(), 'meridian-raster-fixtures-')));
  return {
    testDb,
    deps: { db: testDb.db, store, config },
    store,
    config,
    home,
    fixtures,
    async close() {
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
      await rm(fixtures.dir, { recursive: true, force: true });
    },
  };
}

/** Copies a local file into the bronze container under `key`. */
export async function upload(store: BlobStore, path: string, key: string): Promise<void> {
  await store.put({ container: BRONZE, key }, await readFile(path));
}

/** Puts a large (or sparse) file into the bronze container of a file store without copying it: a hard link. */
export async function linkIntoBronze(store: BlobStore, path: string, key: string): Promise<void> {
  const target = store.localPath!({ container: BRONZE, key });
  await mkdir(dirname(target), { recursive: true });
  await link(path, target);
}

export interface ContextRecord {
  ctx: TaskContext;
  controller: AbortController;
  checkpoints: Checkpoint[];
  progress: Progress[];
}

let nextTaskId = 1;

/** A TaskContext for calling a handler directly; `resumeFrom` plays a retry after that checkpoint. */
export function taskContext(options: { jobId?: string; resumeFrom?: Checkpoint | null; taskId?: number } = {}): ContextRecord {
  const serial = nextTaskId++;
  const controller = new AbortController();
  const checkpoints: Checkpoint[] = [];
  const progress: Progress[] = [];
  const ctx: TaskContext = {
    jobId: options.jobId ?? `job-${serial}`,
    jobType: 'process_raster',
    taskId: options.taskId ?? serial,
    taskType: 'raster_process',
    stage: 1,
    attempt: options.resumeFrom ? 2 : 1,
    signal: controller.signal,
    log: silentLog,
    lastCheckpoint: options.resumeFrom ?? null,
    async checkpoint(phase, data) {
      checkpoints.push({ phase, data: structuredClone(data) });
    },
    progress(p) {
      progress.push(p);
    },
  };
  return { ctx, controller, checkpoints, progress };
}

export function cancel(record: ContextRecord): void {
  record.controller.abort(new TaskAbort('cancelled'));
}

interface ChecksumInfo {
  bands: { checksum: number; minimum?: number; maximum?: number; mean?: number; stdDev?: number; histogram?: { buckets: number[] } }[];
  metadata?: Record<string, Record<string, string>>;
}

/** `gdalinfo -json` with the given flags (no .aux.xml written next to the file). */
export async function gdalJson(path: string, ...flags: string[]): Promise<ChecksumInfo> {
  const { stdout } = await run('gdalinfo', ['--config', 'GDAL_PAM_ENABLED', 'NO', '-json', ...flags, path], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ChecksumInfo;
}

/** GDAL's COG validator, as a test sees it: exit status and output. */
export async function cogValidator(path: string): Promise<{ valid: boolean; output: string }> {
  const { stdout: listing } = await run('dpkg', ['-L', 'python3-gdal']);
  const script = listing.split('\n').find((l) => l.endsWith('/osgeo_utils/samples/validate_cloud_optimized_geotiff.py'))!;
  try {
    const { stdout } = await run('/usr/bin/python3', [script, path]);
    return { valid: true, output: stdout };
  } catch (error) {
    return { valid: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

/** Every blob in a container (keys). */
export async function allKeys(store: BlobStore, container: string): Promise<string[]> {
  if (!(await store.listContainers()).includes(container)) return [];
  const page = await store.list(container, { limit: 5000 });
  return page.items.map((b) => b.key);
}

/** Rows left in the raster tables and the STAC catalog. */
export async function catalogCounts(db: TestDb['db']): Promise<{ metadata: number; items: number }> {
  const m = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app.raster_metadata');
  const i = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog.items');
  return { metadata: m.rows[0]!.n, items: i.rows[0]!.n };
}
