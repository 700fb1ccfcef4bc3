/**
 * Raster ETL benchmark: `process_raster` (analysis tier: DEFLATE, predictor 2, 512-px blocks, cubic
 * overviews) through the real job engine on an 8192×8192 3-band GeoTIFF, against `gdal_translate -of COG`
 * alone with the same creation options on the same file. Our side includes everything the job does:
 * validation, the statistics pass, COG validation, metadata, thumbnail, upload to the silver zone, STAC.
 * Prints both times, the ratio (target ≤ 1.1), the CPU time and peak memory of each side, and where the
 * job's time goes (its phases, from the job's timeline). Runs alternate; the median and the fastest run
 * of each side are reported. Timing never fails the run.
 *   usage: node --import tsx bench/raster-cog.ts [--size 8192] [--runs 5]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { rgbImage, writeGeoTiff } from '../fixtures/raster-fixtures.ts';
import { linkIntoBronze, rasterTestEnv, BRONZE } from '../packages/etl/test/raster-support.ts';
import { startRasterEngine, type RasterEngine } from '../packages/etl/test/raster-engine.ts';
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

/**
 * CPU seconds of this process plus its children that have ended (the GDAL tools): on a shared machine a
 * steadier measure of the work than wall time. Linux's /proc/self/stat, in ticks of 1/100 s.
 */
async function cpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

/** The phases of the job, in seconds, from its timeline: what the orchestration adds around the conversion. */
const PHASES = ['queued', 'validate', 'convert', 'publish', 'finish'] as const;
type Phases = Record<(typeof PHASES)[number], number>;

async function phasesOf(engine: RasterEngine, jobId: string): Promise<Phases> {
  const events = await engine.service.events(jobId, 0, 1000);
  const at = (type: string, phase?: string) => {
    const event = events.find((e) => e.event_type === type && (phase === undefined || e.data.phase === phase));
    if (!event) throw new Error(`the job has no ${type} ${phase ?? ''} event`);
    return event.created_at.getTime() / 1000;
  };
  const marks = [at('job_submitted'), at('task_started'), at('task_checkpoint', 'validated'), at('task_checkpoint', 'converted'), at('task_checkpoint', 'published'), at('job_completed')];
  return Object.fromEntries(PHASES.map((name, i) => [name, marks[i + 1]! - marks[i]!])) as Phases;
}

async function gdalAlone(input: string, output: string): Promise<{ seconds: number; cpu: number; peakMiB: number }> {
  const cpuBefore = await cpuSeconds();
  const started = performance.now();
  const child = spawn('gdal_translate', ['-q', '-of', 'COG', ...SAME_OPTIONS, input, output], { stdio: 'inherit' });
  const sampler = samplePeak(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await cpuSeconds()) - cpuBefore;
  const peakMiB = await sampler.stop();
  if (code !== 0) throw new Error(`gdal_translate exited with ${code}`);
  await rm(output, { force: true });
  return { seconds, cpu, peakMiB };
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
  const oursCpu: number[] = [];
  const floorCpu: number[] = [];
  const phases: Phases[] = [];
  let oursPeak = 0;
  let floorPeak = 0;
  for (let i = 0; i < RUNS; i++) {
    const alone = await gdalAlone(localInput, join(scratch, 'alone.tif'));
    floor.push(alone.seconds);
    floorCpu.push(alone.cpu);
    floorPeak = Math.max(floorPeak, alone.peakMiB);

    const sampler = samplePeak(process.pid);
    const cpuBefore = await cpuSeconds();
    const started = performance.now();
    // overwrite + a distinct title per run: a new job each time, replacing the previous run's item.
    const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: 'bench/rgb.tif', item_id: 'bench-rgb', overwrite: true, title: `bench run ${i}` });
    const seconds = (performance.now() - started) / 1000;
    const cpu = (await cpuSeconds()) - cpuBefore;
    oursPeak = Math.max(oursPeak, await sampler.stop());
    if (job.status !== 'completed') throw new Error(`process_raster ended ${job.status}: ${JSON.stringify(job.error)}`);
    ours.push(seconds);
    oursCpu.push(cpu);
    const phase = await phasesOf(engine, job.job_id);
    phases.push(phase);
    const breakdown = PHASES.map((name) => `${name} ${phase[name].toFixed(2)}`).join(', ');
    console.log(`run ${i + 1}: gdal_translate alone ${alone.seconds.toFixed(2)} s (CPU ${alone.cpu.toFixed(2)} s), process_raster ${seconds.toFixed(2)} s (CPU ${cpu.toFixed(2)} s; ${breakdown})`);
  }
  const mb = (SIZE * SIZE * 3) / 1e6;
  const [o, f] = [median(ours), median(floor)];
  const [oMin, fMin] = [Math.min(...ours), Math.min(...floor)];
  console.log(`\n${SIZE}×${SIZE}×3 Byte (${mb.toFixed(0)} MB uncompressed), ${RUNS} alternating runs (median; fastest):`);
  console.log(`  gdal_translate -of COG alone : ${f.toFixed(2)} s; ${fMin.toFixed(2)} s (${(mb / fMin).toFixed(1)} MB/s), peak RSS ${floorPeak.toFixed(0)} MiB`);
  console.log(`  process_raster (job engine)  : ${o.toFixed(2)} s; ${oMin.toFixed(2)} s (${(mb / oMin).toFixed(1)} MB/s), peak RSS ${oursPeak.toFixed(0)} MiB (Node worker + GDAL children)`);
  console.log(`  CPU time (median)            : gdal_translate ${median(floorCpu).toFixed(2)} s, process_raster ${median(oursCpu).toFixed(2)} s (incl. the statistics pass, run beside the conversion)`);
  console.log(`  process_raster phases (median, s): ${PHASES.map((name) => `${name} ${median(phases.map((p) => p[name])).toFixed(2)}`).join(', ')}`);
  // On a shared machine the fastest runs are the ones least disturbed by other load.
  console.log(`  ratio: median ${(o / f).toFixed(3)}, fastest ${(oMin / fMin).toFixed(3)} (target ≤ 1.10); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await engine.stop();
  await env.close();
  await rm(scratch, { recursive: true, force: true });
}
