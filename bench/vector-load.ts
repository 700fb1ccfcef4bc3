/**
 * Vector load benchmark (PostgreSQL): a generated file of N random points (FlatGeobuf, written by ogr2ogr
 * from a CSV) loaded twice into the same server — by `ogr2ogr -f PostgreSQL --config PG_USE_COPY YES`
 * (table, GiST index, primary key) and by Meridian's process_vector job (validate, chunked COPY, GiST and
 * key, ANALYZE, catalog row, STAC item) on the real job engine with an in-process worker. Prints both
 * times, the ratio (target ≥ 1.0: Meridian as fast or faster) and the worker process's peak RSS for a
 * quarter of the points and for all of them (target: flat in file size). Timing never fails the run.
 *   usage: node --import tsx bench/vector-load.ts [--points N] [--runs R]
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, parseArgs } from 'node:util';
import { loadConfig } from '@meridian/config';
import { createPgTestDb } from '@meridian/db/testing';
import { HandlerRegistry, JobCatalog, JobService, Worker, type EngineLogger } from '@meridian/orchestrator';
import { openBlobStore } from '@meridian/storage';
import { VECTOR_JOB_TYPES, vectorTaskHandlers } from '@meridian/etl';

const run = promisify(execFile);
const { values } = parseArgs({ options: { points: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '2' } } });
const POINTS = Number(values.points);
const RUNS = Number(values.runs);
const CONTAINER = 'bronze-bench';

const silent: EngineLogger = { child: () => silent, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Random points with an integer, a text and a real attribute, as CSV, then FlatGeobuf (ogr2ogr). */
async function generate(dir: string, points: number): Promise<string> {
  const csv = join(dir, `points-${points}.csv`);
  const out = createWriteStream(csv);
  out.write('id,name,value,lon,lat\n');
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < points; i++) {
    const line = `${i},name ${i},${(random() * 1000).toFixed(3)},${(random() * 360 - 180).toFixed(6)},${(random() * 180 - 90).toFixed(6)}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const fgb = join(dir, `points-${points}.fgb`);
  await run('ogr2ogr', ['-f', 'FlatGeobuf', fgb, csv, '-oo', 'X_POSSIBLE_NAMES=lon', '-oo', 'Y_POSSIBLE_NAMES=lat', '-oo', 'AUTODETECT_TYPE=YES', '-a_srs', 'EPSG:4326', '-nln', 'points']);
  await rm(csv);
  return fgb;
}

function pgConnection(url: string): string {
  const u = new URL(url);
  return `PG:host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username)} dbname=${u.pathname.slice(1)}`;
}

const testDb = await createPgTestDb();
const home = await mkdtemp(join(tmpdir(), 'meridian-bench-vector-'));
const config = loadConfig({ MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'silent', MERIDIAN_WORKER_POLL_MS: '20' }, process.cwd());
const store = openBlobStore(config.storage);
const service = new JobService(testDb.db, new JobCatalog(VECTOR_JOB_TYPES), 'bench');
const worker = new Worker({
  db: testDb.db, handlers: new HandlerRegistry(vectorTaskHandlers({ db: testDb.db, store, config, log: silent })),
  log: silent, appVersion: 'bench', timing: config.jobs, concurrency: 1,
});
await worker.start();

async function ogr2ogrLoad(file: string, table: string): Promise<number> {
  const started = performance.now();
  await run('ogr2ogr', ['-f', 'PostgreSQL', pgConnection(testDb.location), file, '-nln', table, '-lco', 'SCHEMA=public', '-overwrite', '--config', 'PG_USE_COPY', 'YES']);
  return (performance.now() - started) / 1000;
}

/** Loads with process_vector; returns the seconds from submit to completion and the peak RSS meanwhile. */
async function meridianLoad(key: string, table: string, run: number): Promise<{ seconds: number; peakRss: number; rows: number }> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  // The title makes each run a new job (the same parameters would find the finished one).
  const { job } = await service.submit('process_vector', { container_name: CONTAINER, blob_name: key, table_name: table, overwrite: true, title: `run ${run}` });
  const done = await service.waitFor(job.job_id, { pollMs: 20 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (done.status !== 'completed') throw new Error(`process_vector ${done.status}: ${JSON.stringify(done.error)}`);
  return { seconds, peakRss, rows: (done.result as { feature_count: number }).feature_count };
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

try {
  const baselineRss = process.memoryUsage().rss;
  const files = [Math.floor(POINTS / 4), POINTS];
  const rows: string[] = [];
  let ratio = 0;
  for (const points of files) {
    const file = await generate(home, points);
    const key = `points-${points}.fgb`;
    await store.put({ container: CONTAINER, key }, createReadStream(file));
    const size = (await stat(file)).size;
    const ogr: number[] = [];
    const ours: { seconds: number; peakRss: number; rows: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      ogr.push(await ogr2ogrLoad(file, `ogr_points_${points}`));
      ours.push(await meridianLoad(key, `points_${points}`, r));
    }
    const bestOgr = Math.min(...ogr);
    const best = ours.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    if (points === POINTS) ratio = bestOgr / best.seconds;
    rows.push(`${String(points).padStart(9)} points (${mb(size)} FlatGeobuf): ogr2ogr ${bestOgr.toFixed(2)} s | process_vector ${best.seconds.toFixed(2)} s (${Math.round(best.rows / best.seconds).toLocaleString('en')} rows/s) | ratio ${(bestOgr / best.seconds).toFixed(2)} | peak RSS ${mb(Math.max(...ours.map((o) => o.peakRss)))}`);
    await rm(file);
  }
  console.log(`vector load, best of ${RUNS} runs each (PostgreSQL ${testDb.location.replace(/\/[^/]*$/, '')}); worker process RSS before loading: ${mb(baselineRss)}`);
  for (const row of rows) console.log(row);
  console.log(`ratio ogr2ogr / process_vector at ${POINTS.toLocaleString('en')} points: ${ratio.toFixed(2)} (target ≥ 1.0)`);
} finally {
  await worker.stop();
  await testDb.drop();
  await rm(home, { recursive: true, force: true });
}
