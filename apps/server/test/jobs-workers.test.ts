import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgTestDb, type TestDb } from '@meridian/db/testing';
import { JobService, type TaskRow } from '@meridian/orchestrator';
import { jobCatalog } from '../src/job-engine.ts';
import { VERSION } from '../src/runtime.ts';
import { exitCode, runMeridian } from './cli-process.ts';

interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  id: string;
  stderr: () => string;
}

/** Starts `meridian worker` and resolves once it has registered and printed its id. */
function spawnWorker(env: Record<string, string>, args: string[]): Promise<WorkerProcess> {
  const child = runMeridian(['worker', ...args], env);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start\n${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /^worker (\S+) running/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, id: match[1]!, stderr: () => stderr });
      }
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before starting\n${stderr}`)));
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('meridian worker processes on one PostgreSQL', () => {
  let testDb: TestDb;
  let home: string;
  let env: Record<string, string>;
  let service: JobService;
  const children: ChildProcessWithoutNullStreams[] = [];

  before(async () => {
    testDb = await createPgTestDb();
    home = await mkdtemp(join(tmpdir(), 'meridian-workers-'));
    env = { MERIDIAN_DATABASE_URL: testDb.location, MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'warn', MERIDIAN_DATABASE_POOL_SIZE: '8' };
    service = new JobService(testDb.db, jobCatalog(), VERSION);
  });
  // A test that failed half-way must not leave a worker behind to take the next test's tasks.
  afterEach(async () => {
    const left = children.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
    for (const child of left) child.kill('SIGKILL');
    await Promise.all(left.map((c) => exitCode(c).catch(() => null)));
  });
  after(async () => {
    await testDb.drop();
    await rm(home, { recursive: true, force: true });
  });

  async function start(extraEnv: Record<string, string>, args: string[]): Promise<WorkerProcess> {
    const worker = await spawnWorker({ ...env, ...extraEnv }, args);
    children.push(worker.child);
    return worker;
  }
  async function tasksOf(jobId: string): Promise<TaskRow[]> {
    return (await service.tasks(jobId, { limit: 1000, offset: 0 })).tasks;
  }
  async function taskEvents(taskId: number): Promise<{ event_type: string; worker_id: string | null; actor: string | null }[]> {
    const { rows } = await testDb.db.query<{ event_type: string; worker_id: string | null; actor: string | null }>(
      'SELECT event_type, worker_id, actor FROM app.job_events WHERE task_id = $1 ORDER BY event_id',
      [taskId],
    );
    return rows;
  }
  async function stopAll(workers: WorkerProcess[]): Promise<void> {
    for (const w of workers) w.child.kill('SIGTERM');
    assert.deepEqual(await Promise.all(workers.map((w) => exitCode(w.child))), workers.map(() => 0));
  }

  it('4 workers drain 1,000 tasks: each runs exactly once, the job completes once', async (t) => {
    const workers = await Promise.all([1, 2, 3, 4].map(() => start({}, ['--concurrency', '4'])));
    const started = performance.now();
    const { job } = await service.submit('hello_world', { n: 1000, message: 'drain' });
    const done = await service.waitFor(job.job_id, { pollMs: 200 });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(done.status, 'completed');
    const greetings = (done.result as { greetings: string[] }).greetings;
    assert.equal(new Set(greetings).size, 1000);

    const { rows } = await testDb.db.query<{ tasks: number; min_attempt: number; max_attempt: number; workers: number; completed: number }>(
      `SELECT count(*)::int AS tasks, min(attempt) AS min_attempt, max(attempt) AS max_attempt, count(DISTINCT claimed_by)::int AS workers,
              count(*) FILTER (WHERE status = 'completed')::int AS completed
       FROM app.tasks WHERE job_id = $1`,
      [job.job_id],
    );
    const { workers: spread, ...counts } = rows[0]!;
    assert.deepEqual(counts, { tasks: 1001, min_attempt: 1, max_attempt: 1, completed: 1001 });
    assert.ok(spread >= 2, `work spread over ${spread} workers`);
    const events = await testDb.db.query<{ event_type: string; n: number; per_task_max: number }>(
      `SELECT event_type, count(*)::int AS n, max(per_task)::int AS per_task_max FROM (
         SELECT event_type, task_id, count(*) AS per_task FROM app.job_events WHERE job_id = $1 GROUP BY event_type, task_id
       ) e GROUP BY event_type`,
      [job.job_id],
    );
    const byType = Object.fromEntries(events.rows.map((r) => [r.event_type, r]));
    assert.equal(byType.task_started?.n, 1001);
    assert.equal(byType.task_started?.per_task_max, 1);
    assert.equal(byType.task_completed?.n, 1001);
    assert.equal(byType.task_completed?.per_task_max, 1);
    assert.equal(byType.job_completed?.per_task_max, 1);
    assert.equal(byType.task_reclaimed, undefined);
    t.diagnostic(`drained 1,001 tasks in ${seconds.toFixed(2)} s over ${spread} workers`);
    await stopAll(workers);
  });

  it('SIGKILL mid-task: the task is reclaimed after its lease and finished by another worker, once', async () => {
    const fast = { MERIDIAN_TASK_LEASE_MS: '1500', MERIDIAN_TASK_HEARTBEAT_MS: '300', MERIDIAN_JANITOR_INTERVAL_MS: '300' };
    const doomed = await start(fast, ['--concurrency', '1']);
    const { job } = await service.submit('hello_world', { n: 1, duration_ms: 2_500, message: 'killed' });
    const claimed = await eventually(async () => (await tasksOf(job.job_id)).find((x) => x.stage === 1 && x.status === 'processing' && x.claimed_by === doomed.id), 'the doomed worker to claim');
    doomed.child.kill('SIGKILL');
    assert.equal(await exitCode(doomed.child), null);
    const survivor = await start(fast, ['--concurrency', '1']);

    const done = await service.waitFor(job.job_id, { pollMs: 100 });
    assert.equal(done.status, 'completed');
    const task = (await tasksOf(job.job_id)).find((x) => x.task_id === claimed.task_id)!;
    assert.equal(task.attempt, 2);
    assert.equal(task.reclaims, 1);
    assert.equal(task.claimed_by, survivor.id);
    assert.deepEqual(task.result, { greeting: 'killed #1 of 1', worked_ms: 2_500 });
    const events = await taskEvents(task.task_id);
    assert.deepEqual(events.map((e) => [e.event_type, e.worker_id]), [
      ['task_started', doomed.id],
      ['task_reclaimed', doomed.id],
      ['task_started', survivor.id],
      ['task_completed', survivor.id],
    ]);
    assert.match(String(events[1]!.actor), /^janitor:/);
    await stopAll([survivor]);
  });

  it('SIGTERM: stops claiming, checkpoints within the grace period, exits 0; another worker resumes from the checkpoint', async () => {
    const settings = { MERIDIAN_TASK_LEASE_MS: '3000', MERIDIAN_TASK_HEARTBEAT_MS: '300', MERIDIAN_WORKER_GRACE_MS: '5000' };
    const leaving = await start(settings, ['--concurrency', '1']);
    const { job } = await service.submit('hello_world', { n: 2, duration_ms: 3_000, message: 'drained' });
    const running = await eventually(async () => (await tasksOf(job.job_id)).find((x) => x.claimed_by === leaving.id && ((x.progress?.percent as number | undefined) ?? 0) >= 10), 'progress on the first task');
    const signalled = performance.now();
    leaving.child.kill('SIGTERM');
    assert.equal(await exitCode(leaving.child), 0);
    assert.ok(performance.now() - signalled < 5_000, 'exited within the grace period');

    const afterStop = await tasksOf(job.job_id);
    const released = afterStop.find((x) => x.task_id === running.task_id)!;
    assert.equal(released.status, 'ready');
    assert.equal(released.retry_count, 0);
    assert.equal(released.checkpoint?.phase, 'working');
    const checkpointed = (released.checkpoint?.data as { worked_ms: number }).worked_ms;
    assert.ok(checkpointed > 0 && checkpointed < 3_000, `checkpoint at ${checkpointed} ms`);
    const untouched = afterStop.find((x) => x.stage === 1 && x.task_id !== running.task_id)!;
    assert.deepEqual([untouched.status, untouched.attempt], ['ready', 0], 'the stopping worker claimed nothing new');

    const successor = await start(settings, ['--concurrency', '2']);
    const done = await service.waitFor(job.job_id, { pollMs: 100 });
    assert.equal(done.status, 'completed');
    const resumed = (await tasksOf(job.job_id)).find((x) => x.task_id === running.task_id)!;
    assert.equal(resumed.attempt, 2);
    assert.equal(resumed.claimed_by, successor.id);
    assert.deepEqual(resumed.result, { greeting: `drained #${running.task_index + 1} of 2`, worked_ms: 3_000, resumed_from_ms: checkpointed });
    assert.deepEqual((await taskEvents(resumed.task_id)).map((e) => [e.event_type, e.worker_id]), [
      ['task_started', leaving.id],
      ['task_checkpoint', leaving.id],
      ['task_released', leaving.id],
      ['task_started', successor.id],
      ['task_completed', successor.id],
    ]);
    await stopAll([successor]);
  });
});
