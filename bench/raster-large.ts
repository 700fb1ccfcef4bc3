/**
 * Large-raster benchmark: process_raster through the real job engine on a sparse BigTIFF of 4.8 GB of
 * pixels (3 Byte bands, ~40000×40000; almost nothing on disk, but every pixel is still read), above the
 * default 2 GiB threshold, so the tiled path runs: tiles → VRT → COG. Prints the time, the tile count and
 * the peak resident memory of the whole process tree (Node worker + GDAL children), which must stay flat
 * whatever the raster's size. `--compare` also times `gdal_translate -of COG` alone on the same file.
 *   usage: node --import tsx bench/raster-large.ts [--bytes 4.8e9] [--compare]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSparseBigTiff } from '../fixtures/raster-fixtures.ts';
import { linkIntoBronze, rasterTestEnv, BRONZE } from '../packages/etl/test/raster-support.ts';
import { startRasterEngine } from '../packages/etl/test/raster-engine.ts';
import type { ProcessRasterResult } from '../packages/etl/src/index.ts';
import { samplePeak } from './tree-memory.ts';

const { values } = parseArgs({ options: { bytes: { type: 'string', default: '4.8e9' }, compare: { type: 'boolean', default: false } } });
const BYTES = Number(values.bytes);

const env = await rasterTestEnv();
const scratch = await mkdtemp(join(tmpdir(), 'meridian-bench-large-'));
const engine = await startRasterEngine(env.deps, 1);
try {
  const big = await writeSparseBigTiff(join(scratch, 'big.tif'), BYTES);
  // A hard link puts the file in the bronze container without copying (or un-sparsing) it.
  const key = 'bench/large.tif';
  await linkIntoBronze(env.store, big.path, key);
  const stored = env.store.localPath!({ container: BRONZE, key });
  console.log(`sparse BigTIFF ${big.width}×${big.height}×3 Byte: ${(BYTES / 1e9).toFixed(1)} GB of pixels; tile threshold ${(env.config.raster.tileThresholdBytes / 1024 ** 3).toFixed(0)} GiB`);

  if (values.compare) {
    const started = performance.now();
    const child = spawn('gdal_translate', ['-q', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', '-co', 'BLOCKSIZE=512', '-co', 'BIGTIFF=IF_SAFER',
      '-co', 'OVERVIEW_RESAMPLING=CUBIC', '--config', 'GDAL_CACHEMAX', '256', stored, join(scratch, 'alone.tif')], { stdio: 'inherit' });
    const sampler = samplePeak(child.pid!);
    await new Promise((resolve) => child.on('close', resolve));
    console.log(`gdal_translate -of COG alone: ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${(await sampler.stop()).toFixed(0)} MiB`);
    await rm(join(scratch, 'alone.tif'), { force: true });
  }

  const sampler = samplePeak(process.pid);
  const started = performance.now();
  const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: key });
  const seconds = (performance.now() - started) / 1000;
  const peak = await sampler.stop();
  if (job.status !== 'completed') throw new Error(`process_raster ended ${job.status}: ${JSON.stringify(job.error)}`);
  const result = job.result as ProcessRasterResult;
  const { rows } = await env.testDb.db.query<{ phase: string; n: number }>(
    "SELECT checkpoint->>'phase' AS phase, jsonb_array_length(checkpoint->'data'->'tilesDone') AS n FROM app.tasks WHERE job_id = $1",
    [job.job_id],
  );
  console.log(`process_raster: ${seconds.toFixed(1)} s (${(BYTES / 1e6 / seconds).toFixed(0)} MB/s of pixels), tiled ${result.tiled}` +
    ` (${rows[0]?.n ?? '?'} tiles), COG ${(result.outputs[0]!.size_bytes / 1e6).toFixed(1)} MB, peak RSS ${peak.toFixed(0)} MiB (Node worker + GDAL children)`);
} finally {
  await engine.stop();
  await env.close();
  await rm(scratch, { recursive: true, force: true });
}
