/**
 * Job engine benchmark (PostgreSQL): tasks per second of pure engine overhead — `noop` tasks, handlers
 * that do nothing — with 1, 2 and 4 `meridian worker` processes, and the median latency from submit to
 * completion of a 1-task job. Prints a table with the ratio to the targets (≥ 500 tasks/s with 4
 * workers; < 100 ms p50). Timing never fails the run.
 *
 * Wall-clock rates depend on what else the machine runs, so each run also reports the CPU the engine
 * spent per task (worker processes plus their PostgreSQL backends, from /proc) and the load average.
 *   usage: node --import tsx bench/job-engine.ts [--tasks N] [--concurrency C] [--latency-runs R]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createPgTestDb } from '@meridian/db/testing';
import { sampleCpuMs, spent } from './process-cpu.ts';
import { BUILTIN_JOB_TYPES, JobCatalog, JobService, subscribe } from '@meridian/orchestrator';

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '4000' }, concurrency: { type: 'string', default: '8' }, 'latency-runs': { type: 'string', default: '50' } } });
const TOTAL_TASKS = Number(values.tasks);
const CONCURRENCY = Number(values.concurrency);
const LATENCY_RUNS = Number(values['latency-runs']);
const JOBS_PER_RUN = 4;
const BIN = fileURLToPath(new URL('../apps/server/bin/meridian.js', import.meta.url));

const testDb = await createPgTestDb();
const home = await mkdtemp(join(tmpdir(), 'meridian-bench-'));
const service = new JobService(testDb.db, new JobCatalog(BUILTIN_JOB_TYPES), 'bench');
// One LISTEN connection for the whole run: a job's end is observed the moment its notice arrives.
const waiting = new Map<string, () => void>();
const unsubscribe = await subscribe(testDb.db, (notice) => {
  if (notice.kind === 'job') waiting.get(notice.jobId)?.();
});

function env(): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MERIDIAN_')));
  return { ...base, MERIDIAN_DATABASE_URL: testDb.location, MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'warn', MERIDIAN_DATABASE_POOL_SIZE: String(CONCURRENCY + 4) };
}

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--task-types', 'noop', '--concurrency', String(CONCURRENCY)], { env: env(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (/^worker \S+ running/m.test(String(d))) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => new Promise((resolve) => {
    c.removeAllListeners('exit');
    c.on('exit', resolve);
    c.kill('SIGTERM');
  })));
}

/** Submits a noop job and resolves when it has ended (by its notice, or a slow poll as a safety net). */
async function run(tasks: number, tag: string): Promise<number> {
  const { jobId } = service.catalog.validate('noop', { tasks, tag });
  let poll: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    waiting.set(jobId, resolve);
    poll = setInterval(() => void service.get(jobId).then((j) => ['completed', 'failed'].includes(j.status) && resolve(), () => {}), 1_000);
  });
  const started = performance.now();
  const { job } = await service.submit('noop', { tasks, tag });
  if (job.status !== 'completed') await ended;
  const elapsed = performance.now() - started;
  clearInterval(poll);
  waiting.delete(jobId);
  const done = await service.get(jobId);
  if (done.status !== 'completed') throw new Error(`job ${jobId} ended ${done.status}`);
  return elapsed;
}

/** CPU so far of the worker processes and of every PostgreSQL backend connected to the bench database. */
async function engineCpuMs(children: ChildProcess[]): Promise<{ workers: Map<number, number>; database: Map<number, number> }> {
  const { rows } = await testDb.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return { workers: await sampleCpuMs(children.map((c) => c.pid!)), database: await sampleCpuMs(rows.map((r) => r.pid)) };
}

interface Throughput {
  tasksPerSecond: number;
  seconds: number;
  workerCpuMsPerTask: number;
  databaseCpuMsPerTask: number;
}

async function throughput(processes: number): Promise<Throughput> {
  const children = await Promise.all(Array.from({ length: processes }, startWorker));
  try {
    await run(50, `warm-up ${processes}`);
    const before = await engineCpuMs(children);
    const started = performance.now();
    const perJob = Math.ceil(TOTAL_TASKS / JOBS_PER_RUN);
    await Promise.all(Array.from({ length: JOBS_PER_RUN }, (_, i) => run(perJob, `throughput ${processes} ${i}`)));
    const seconds = (performance.now() - started) / 1000;
    const after = await engineCpuMs(children);
    const tasks = perJob * JOBS_PER_RUN;
    return {
      tasksPerSecond: tasks / seconds,
      seconds,
      workerCpuMsPerTask: spent(before.workers, after.workers) / tasks,
      databaseCpuMsPerTask: spent(before.database, after.database) / tasks,
    };
  } finally {
    await stopWorkers(children);
  }
}

async function latency(): Promise<{ p50: number; p90: number }> {
  const children = [await startWorker()];
  try {
    for (let i = 0; i < 5; i++) await run(1, `latency warm-up ${i}`);
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) samples.push(await run(1, `latency ${i}`));
    samples.sort((a, b) => a - b);
    return { p50: samples[Math.floor(samples.length / 2)]!, p90: samples[Math.floor(samples.length * 0.9)]! };
  } finally {
    await stopWorkers(children);
  }
}

try {
  console.log(`job engine benchmark: PostgreSQL, ${TOTAL_TASKS} noop tasks in ${JOBS_PER_RUN} jobs per run, --concurrency ${CONCURRENCY} per worker process`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (this machine has 2 cores)`);
  const rows: string[][] = [['measure', 'value', 'target', 'ratio to target', 'CPU per task: workers + PostgreSQL']];
  const results: Record<number, number> = {};
  for (const processes of [1, 2, 4]) {
    const { tasksPerSecond, seconds, workerCpuMsPerTask, databaseCpuMsPerTask } = await throughput(processes);
    const cpuMsPerTask = workerCpuMsPerTask + databaseCpuMsPerTask;
    results[processes] = tasksPerSecond;
    rows.push([
      `no-op tasks/s, ${processes} worker process${processes > 1 ? 'es' : ''}`,
      `${tasksPerSecond.toFixed(0)} (${seconds.toFixed(2)} s)`,
      processes === 4 ? '≥ 500' : '',
      processes === 4 ? (tasksPerSecond / 500).toFixed(2) : '',
      `${workerCpuMsPerTask.toFixed(2)} + ${databaseCpuMsPerTask.toFixed(2)} ms (2 idle cores: ~${(2_000 / cpuMsPerTask).toFixed(0)} tasks/s)`,
    ]);
  }
  const { p50, p90 } = await latency();
  rows.push(['submit→complete, 1-task job, p50', `${p50.toFixed(1)} ms`, '< 100 ms', (100 / p50).toFixed(2), '']);
  rows.push(['submit→complete, 1-task job, p90', `${p90.toFixed(1)} ms`, '', '', '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  console.log(`scaling: 2 processes ${(results[2]! / results[1]!).toFixed(2)}×, 4 processes ${(results[4]! / results[1]!).toFixed(2)}× of one (the 2 cores are shared with PostgreSQL)`);
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await unsubscribe();
  await testDb.drop();
  await rm(home, { recursive: true, force: true });
}
