/**
 * Raster ETL benchmark: `process_raster` (analysis tier: DEFLATE, predictor 2, 512-px blocks, cubic
 * overviews) through the real job engine on an 8192×8192 3-band GeoTIFF, against `gdal_translate -of COG`
 * alone with the same creation options on the same file. Our side includes everything the job does:
 * validation, the statistics pass, COG validation, metadata, thumbnail, upload to the silver zone, STAC.
 * Prints both times, the ratio (target ≤ 1.1) and the peak memory of each process tree. Runs alternate;
 * the median and the fastest run of each side are reported. Timing never fails the run.
 *   usage: node --import tsx bench/raster-cog.ts [--size 8192] [--runs 5]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { rgbImage, writeGeoTiff } from '../fixtures/raster-fixtures.ts';
import { linkIntoBronze, rasterTestEnv, BRONZE } from '../packages/etl/test/raster-support.ts';
import { startRasterEngine } from '../packages/etl/test/raster-engine.ts';
import { samplePeak } from './tree-memory.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '8192' }, runs: { type: 'string', default: '5' }, generate: { type: 'string' } } });
const SIZE = Number(values.size);
const RUNS = Number(values.runs);

/** The input is generated in a child process, so its garbage does not count in this process's memory. */
async function generateInput(path: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate', path, '--size', String(SIZE)], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`generating the input failed (${code})`);
}

if (values.generate) {
  await writeGeoTiff(values.generate, rgbImage(SIZE, SIZE));
  process.exit(0);
}
/** Exactly what the analysis tier asks of the COG driver for an RGB raster (cog-profiles.ts). */
const SAME_OPTIONS = ['-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=512', '-co', 'OVERVIEW_RESAMPLING=CUBIC', '-co', 'BIGTIFF=IF_SAFER', '-co', 'PREDICTOR=2',
  '--config', 'GDAL_CACHEMAX', '256', '--config', 'GDAL_PAM_ENABLED', 'NO'];

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function gdalAlone(input: string, output: string): Promise<{ seconds: number; peakMiB: number }> {
  const started = performance.now();
  const child = spawn('gdal_translate', ['-q', '-of', 'COG', ...SAME_OPTIONS, input, output], { stdio: 'inherit' });
  const sampler = samplePeak(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  const peakMiB = await sampler.stop();
  if (code !== 0) throw new Error(`gdal_translate exited with ${code}`);
  await rm(output, { force: true });
  return { seconds, peakMiB };
}

const env = await rasterTestEnv();
const scratch = await mkdtemp(join(tmpdir(), 'meridian-bench-raster-'));
const engine = await startRasterEngine(env.deps, 1);
try {
  const input = join(scratch, `rgb-${SIZE}.tif`);
  process.stdout.write(`generating a ${SIZE}×${SIZE} 3-band GeoTIFF … `);
  await generateInput(input);
  await linkIntoBronze(env.store, input, 'bench/rgb.tif');
  console.log('done');
  const localInput = env.store.localPath!({ container: BRONZE, key: 'bench/rgb.tif' });

  const ours: number[] = [];
  const floor: number[] = [];
  let oursPeak = 0;
  let floorPeak = 0;
  for (let i = 0; i < RUNS; i++) {
    const alone = await gdalAlone(localInput, join(scratch, 'alone.tif'));
    floor.push(alone.seconds);
    floorPeak = Math.max(floorPeak, alone.peakMiB);

    const sampler = samplePeak(process.pid);
    const started = performance.now();
    // overwrite + a distinct title per run: a new job each time, replacing the previous run's item.
    const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: 'bench/rgb.tif', item_id: 'bench-rgb', overwrite: true, title: `bench run ${i}` });
    const seconds = (performance.now() - started) / 1000;
    oursPeak = Math.max(oursPeak, await sampler.stop());
    if (job.status !== 'completed') throw new Error(`process_raster ended ${job.status}: ${JSON.stringify(job.error)}`);
    ours.push(seconds);
    console.log(`run ${i + 1}: gdal_translate alone ${alone.seconds.toFixed(2)} s, process_raster ${seconds.toFixed(2)} s`);
  }
  const mb = (SIZE * SIZE * 3) / 1e6;
  const [o, f] = [median(ours), median(floor)];
  const [oMin, fMin] = [Math.min(...ours), Math.min(...floor)];
  console.log(`\n${SIZE}×${SIZE}×3 Byte (${mb.toFixed(0)} MB uncompressed), ${RUNS} alternating runs (median; fastest):`);
  console.log(`  gdal_translate -of COG alone : ${f.toFixed(2)} s; ${fMin.toFixed(2)} s (${(mb / fMin).toFixed(1)} MB/s), peak RSS ${floorPeak.toFixed(0)} MiB`);
  console.log(`  process_raster (job engine)  : ${o.toFixed(2)} s; ${oMin.toFixed(2)} s (${(mb / oMin).toFixed(1)} MB/s), peak RSS ${oursPeak.toFixed(0)} MiB (Node worker + GDAL children)`);
  // On a shared machine the fastest runs are the ones least disturbed by other load.
  console.log(`  ratio: median ${(o / f).toFixed(3)}, fastest ${(oMin / fMin).toFixed(3)} (target ≤ 1.10)`);
} finally {
  await engine.stop();
  await env.close();
  await rm(scratch, { recursive: true, force: true });
}
