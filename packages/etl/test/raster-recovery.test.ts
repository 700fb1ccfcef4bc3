/**
 * The raster task under pressure: the tiled path for large rasters (with a low threshold), resuming from
 * a checkpoint after a shutdown, overwriting an item, a failure while publishing (nothing left behind),
 * and cancellation killing the running GDAL process. On the job engine: work directories kept for
 * retries, removed when the task gives up, and swept when other tasks left them behind.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Value } from 'typebox/value';
import { MeridianError } from '@meridian/core';
import { TaskAbort, type Checkpoint } from '@meridian/orchestrator';
import type { BlobStore } from '@meridian/storage';
import { readBandBytes, writeSparseBigTiff } from '../../../fixtures/raster-fixtures.ts';
import { processRasterParameters, type ProcessRasterParameters } from '../src/raster/parameters.ts';
import { processRaster } from '../src/raster/process-raster-task.ts';
import { getRasterMetadata } from '../src/raster/metadata-repository.ts';
import { workDirRoot } from '../src/raster/work-dir.ts';
import { startRasterEngine, type RasterEngine } from './raster-engine.ts';
import { BRONZE, SILVER, allKeys, cancel, catalogCounts, cogValidator, linkIntoBronze, rasterTestEnv, taskContext, upload, type RasterTestEnv } from './raster-support.ts';

const exec = promisify(execFile);

function parameters(blobName: string, extra: Partial<ProcessRasterParameters> = {}): ProcessRasterParameters {
  return Value.Default(processRasterParameters, { container_name: BRONZE, blob_name: blobName, ...extra }) as ProcessRasterParameters;
}

/** The store, except that puts of keys matching `failOn` fail as if the storage went away (after `onFail`). */
function failingStore(store: BlobStore, failOn: RegExp, onFail: () => Promise<void> = async () => {}): BlobStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'put' || property === 'putFile') {
        return async (ref: { key: string }, ...rest: unknown[]) => {
          if (!failOn.test(ref.key)) return (target[property] as (...args: unknown[]) => unknown).call(target, ref, ...rest);
          await onFail();
          throw new MeridianError('STORAGE_UNAVAILABLE', 'injected failure');
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function gdalProcessesOn(path: string): Promise<string[]> {
  const { stdout } = await exec('ps', ['-eo', 'pid,args']);
  return stdout.split('\n').filter((line) => line.includes(path) && /gdal/.test(line));
}

describe('raster ETL: tiles, resume, overwrite, failures, cancellation', () => {
  let t: RasterTestEnv;
  before(async () => {
    // Tiles of 512 px: the 600×400 RGB fixture becomes two tiles.
    t = await rasterTestEnv({ MERIDIAN_RASTER_TILE_THRESHOLD_BYTES: '100000' });
    await upload(t.store, t.fixtures.rgb, 'rgb.tif');
    await upload(t.store, t.fixtures.demUtm, 'dem.tif');
  });
  after(() => t.close());

  it('a raster above the threshold is converted tile by tile, then assembled losslessly', async () => {
    const { ctx, checkpoints } = taskContext();
    const result = await processRaster(t.deps, parameters('rgb.tif', { item_id: 'tiled' }), 0, ctx);
    assert.equal(result.tiled, true);
    assert.deepEqual(checkpoints.filter((c) => c.phase === 'tiles').map((c) => (c.data as { tilesDone: number[] }).tilesDone), [[0], [0, 1]]);
    const path = t.store.localPath!({ container: SILVER, key: result.outputs[0]!.blob_path });
    assert.ok((await cogValidator(path)).valid);
    for (const band of [1, 2, 3]) {
      assert.ok((await readBandBytes(path, band)).equals(await readBandBytes(t.store.localPath!({ container: BRONZE, key: 'rgb.tif' }), band)));
    }
  });

  it('a run stopped by a shutdown after converting resumes from its checkpoint without converting again', async () => {
    const first = taskContext({ taskId: 4242 });
    const save = first.ctx.checkpoint.bind(first.ctx);
    first.ctx.checkpoint = async (phase, data) => {
      await save(phase, data);
      if (phase === 'converted') first.controller.abort(new TaskAbort('shutdown'));
    };
    const p = parameters('dem.tif', { item_id: 'resumed' });
    await assert.rejects(processRaster(t.deps, p, 0, first.ctx), (e: unknown) => e instanceof TaskAbort);
    assert.deepEqual(await readdir(workDirRoot(t.home)), ['task-4242'], 'the work directory stays for the retry');
    assert.equal(await getRasterMetadata(t.testDb.db, 'system-rasters', 'resumed'), undefined);

    const last = first.checkpoints.at(-1) as Checkpoint;
    const second = taskContext({ taskId: 4242, resumeFrom: last });
    const result = await processRaster(t.deps, p, 0, second.ctx);
    assert.equal(result.stac_item_id, 'resumed');
    // Validation and conversion are not done again (the statistics pass may be, if the shutdown beat it).
    const phases = second.checkpoints.map((c) => c.phase);
    assert.equal(phases.at(-1), 'published');
    assert.ok(!phases.includes('validated') && !phases.includes('converted'), `phases of the resumed run: ${phases}`);
    assert.ok(!second.progress.some((pr) => pr.message?.startsWith('writing')), 'no conversion on the resumed run');
    assert.deepEqual(await readdir(workDirRoot(t.home)), [], 'the work directory is gone once the task is done');
  });

  it('an existing item is refused without overwrite; overwrite replaces its files and deletes the old ones', async () => {
    await assert.rejects(processRaster(t.deps, parameters('dem.tif', { item_id: 'resumed' }), 0, taskContext().ctx), { code: 'RASTER_ITEM_EXISTS' });
    const before = await getRasterMetadata(t.testDb.db, 'system-rasters', 'resumed');
    const result = await processRaster(t.deps, parameters('dem.tif', { item_id: 'resumed', overwrite: true, title: 'v2' }), 0, taskContext({ jobId: 'job-v2' }).ctx);
    const after = await getRasterMetadata(t.testDb.db, 'system-rasters', 'resumed');
    assert.notEqual(after!.blobPath, before!.blobPath);
    assert.equal(after!.jobId, 'job-v2');
    const folder = (await allKeys(t.store, SILVER)).filter((k) => k.startsWith('system-rasters/resumed/'));
    assert.deepEqual(folder.sort(), [result.outputs[0]!.blob_path, result.outputs[0]!.thumbnail_path].sort());
  });

  it('a storage failure while publishing deletes what was uploaded and writes no rows', async () => {
    const blobsBefore = await allKeys(t.store, SILVER);
    const countsBefore = await catalogCounts(t.testDb.db);
    const store = failingStore(t.store, /thumbnail\.png$/);
    const { ctx } = taskContext({ taskId: 777 });
    await assert.rejects(processRaster({ ...t.deps, store }, parameters('dem.tif', { item_id: 'unlucky' }), 0, ctx), { code: 'STORAGE_UNAVAILABLE' });
    assert.deepEqual(await allKeys(t.store, SILVER), blobsBefore);
    assert.deepEqual(await catalogCounts(t.testDb.db), countsBefore);
    // A transient failure, but no retry follows (the engine has no task 777): the work directory goes.
    // raster-work-dirs.test.ts has the engine keep it for a retry.
    assert.deepEqual(await readdir(workDirRoot(t.home)), []);
  });

  it('cancelling kills the running GDAL process and leaves nothing behind', async () => {
    const big = await writeSparseBigTiff(join(t.fixtures.dir, 'big.tif'), 0.6e9);
    const key = 'big-sparse.tif';
    await linkIntoBronze(t.store, big.path, key);
    const record = taskContext();
    const countsBefore = await catalogCounts(t.testDb.db);
    const blobsBefore = await allKeys(t.store, SILVER);
    const running = processRaster({ ...t.deps, config: { ...t.config, raster: { ...t.config.raster, tileThresholdBytes: 2 ** 40 } } }, parameters(key), 0, record.ctx);
    // Wait until the COG conversion reports progress, then cancel.
    const deadline = Date.now() + 60_000;
    while (!record.progress.some((p) => p.message?.startsWith('writing') && (p.percent ?? 0) > 5)) {
      if (Date.now() > deadline) assert.fail('the conversion never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    const source = t.store.localPath!({ container: BRONZE, key });
    assert.ok((await gdalProcessesOn(source)).length > 0, 'GDAL runs on the source');
    const cancelledAt = performance.now();
    cancel(record);
    await assert.rejects(running, (e: unknown) => e instanceof TaskAbort && e.reason === 'cancelled');
    assert.ok(performance.now() - cancelledAt < 5_000, 'the task stopped promptly');
    assert.deepEqual(await gdalProcessesOn(source), [], 'no GDAL process survives the cancellation');
    assert.deepEqual(await allKeys(t.store, SILVER), blobsBefore);
    assert.deepEqual(await catalogCounts(t.testDb.db), countsBefore);
    assert.deepEqual(await readdir(workDirRoot(t.home)), []);
  });
});

describe('raster ETL on the job engine: work directories', () => {
  let t: RasterTestEnv;
  let engine: RasterEngine;
  /** The inode of the converted COG in the work directory at each failed upload: one per attempt. */
  const cogAtFailure: number[] = [];
  before(async () => {
    t = await rasterTestEnv();
    await upload(t.store, t.fixtures.demUtm, 'dem.tif');
    const recordCog = async () => {
      const [dir] = await readdir(workDirRoot(t.home));
      cogAtFailure.push((await stat(join(workDirRoot(t.home), dir!, 'analysis.cog.tif'))).ino);
    };
    // Every upload of the item "unlucky"'s thumbnail fails; other items publish normally.
    engine = await startRasterEngine({ ...t.deps, store: failingStore(t.store, /\/unlucky\/.*thumbnail\.png$/, recordCog) });
  });
  after(async () => {
    await engine.stop();
    await t.close();
  });

  it('a transient failure keeps the work for each retry, which resumes from it; giving up leaves nothing', async () => {
    const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: 'dem.tif', item_id: 'unlucky' });
    assert.equal(job.status, 'failed');
    const { tasks } = await engine.service.tasks(job.job_id, { limit: 10, offset: 0 });
    assert.equal(tasks[0]!.retry_count, 2, 'retried until no retry was left');
    assert.equal(cogAtFailure.length, 3);
    assert.equal(new Set(cogAtFailure).size, 1, 'the retries published the COG the first attempt converted');
    assert.deepEqual(await readdir(workDirRoot(t.home)), [], 'no work directory once the task gave up');
    assert.deepEqual(await allKeys(t.store, SILVER), []);
    assert.deepEqual(await catalogCounts(t.testDb.db), { metadata: 0, items: 0 });
  });

  it('a task starting removes the work directories of tasks that will not run again, and only those', async () => {
    const failed = (await engine.service.list({ status: 'failed', jobType: 'process_raster', limit: 1, offset: 0 })).jobs[0]!;
    const finishedTask = (await engine.service.tasks(failed.job_id, { limit: 1, offset: 0 })).tasks[0]!.task_id;
    // A noop task: queued, as no worker here runs noop tasks.
    const queued = (await engine.service.submit('noop', { tasks: 1 })).job;
    const queuedTask = (await engine.service.tasks(queued.job_id, { limit: 1, offset: 0 })).tasks[0]!.task_id;
    // What a crash leaves: directories of a task that since failed, of one the database no longer has,
    // of one still queued; and something that is not a task's directory.
    for (const name of [`task-${finishedTask}`, 'task-987654321', `task-${queuedTask}`, 'notes']) {
      await mkdir(join(workDirRoot(t.home), name, 'partial'), { recursive: true });
    }
    const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: 'dem.tif', item_id: 'lucky' });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.deepEqual((await readdir(workDirRoot(t.home))).sort(), ['notes', `task-${queuedTask}`]);
  });
});
