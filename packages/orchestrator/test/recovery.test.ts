import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, TEST_BACKENDS, type TestDb } from '@meridian/db/testing';
import { runJanitorSweep } from '../src/index.ts';
import { claimTasks } from '../src/operations/claim.ts';
import { completeTasks, type TaskLease } from '../src/operations/complete.ts';
import { APP_VERSION, engine, eventually, FAST, type Engine } from './helpers.ts';

const NO_LIMITS = { queuedTimeoutSeconds: 3_600, stallTimeoutSeconds: 3_600 };

for (const kind of TEST_BACKENDS) {
  describe(`job engine recovery on ${kind}`, () => {
    let t: TestDb;
    let e: Engine;
    before(async () => {
      t = await createTestDb(kind);
      e = engine(t.db);
    });
    afterEach(() => e.stopAll());
    after(() => t.drop());

    const finished = (jobId: string) => e.service.waitFor(jobId, { pollMs: 50 });
    /** A late completion from a worker that lost its task: true if it was (wrongly) accepted. */
    const lateCompletion = async (lease: TaskLease, result: unknown) => (await completeTasks(t.db, [{ lease, result }], 'x', null)).accepted.has(lease.taskId);
    const taskOf = async (jobId: string, stage = 1) => (await e.service.tasks(jobId, { stage, limit: 10, offset: 0 })).tasks[0]!;
    /** Claims the job's first ready task as a worker that will never heartbeat or finish (a killed one). */
    const claimAsGhost = async (leaseMs: number) => {
      const [claimed] = await claimTasks(t.db, { workerId: 'ghost', taskTypes: ['hello_world_greeting'], limit: 1, leaseMs });
      assert.ok(claimed, 'the ghost claimed a task');
      return claimed;
    };

    it('on stop, checkpoints within the grace period, releases the task, and another worker resumes it', async () => {
      const first = await e.startWorker({ janitor: false });
      const { job } = await e.service.submit('hello_world', { n: 1, duration_ms: 3_000, message: `resume ${kind}` });
      await eventually(async () => ((await taskOf(job.job_id)).progress?.percent as number) >= 5 ? true : undefined, 5_000, 'progress');
      await first.stop();
      const released = await taskOf(job.job_id);
      assert.equal(released.status, 'ready');
      assert.equal(released.retry_count, 0);
      assert.equal(released.checkpoint?.phase, 'working');
      const workedBefore = (released.checkpoint?.data as { worked_ms: number }).worked_ms;
      assert.ok(workedBefore >= 150 && workedBefore < 3_000, `worked ${workedBefore} ms before stopping`);

      const second = await e.startWorker();
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed');
      const task = await taskOf(job.job_id);
      assert.equal(task.attempt, 2);
      assert.equal(task.claimed_by, second.id);
      assert.deepEqual(task.result, { greeting: `resume ${kind} #1 of 1`, worked_ms: 3_000, resumed_from_ms: workedBefore });
      const events = (await e.service.events(job.job_id, 0, 100)).filter((ev) => ev.task_id === task.task_id);
      assert.deepEqual(events.map((ev) => [ev.event_type, ev.worker_id]), [
        ['task_started', first.id],
        ['task_checkpoint', first.id],
        ['task_released', first.id],
        ['task_started', second.id],
        ['task_completed', second.id],
      ]);
      assert.equal(events[3]!.data.resumed_from, 'working');
    });

    it('keeps a task leased with heartbeats while it runs longer than its lease, and stores its progress', async () => {
      await e.startWorker({ timing: { ...FAST, leaseMs: 400, heartbeatMs: 100, janitorIntervalMs: 100 } });
      const { job } = await e.service.submit('hello_world', { n: 1, duration_ms: 1_000, message: `long ${kind}` });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed');
      const task = await taskOf(job.job_id);
      assert.equal(task.attempt, 1);
      assert.equal(task.reclaims, 0);
      assert.ok((task.progress?.percent as number) > 0);
    });

    it('reclaims a task whose worker died once its lease lapses, and drops the dead worker\'s late result', async () => {
      const { job } = await e.service.submit('hello_world', { n: 1, message: `ghost ${kind}` });
      const ghost = await claimAsGhost(300);
      const survivor = await e.startWorker();
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed');
      const task = await taskOf(job.job_id);
      assert.equal(task.attempt, 2);
      assert.equal(task.reclaims, 1);
      assert.equal(task.claimed_by, survivor.id);
      // The "dead" worker comes back and tries to finish: its attempt no longer holds the task.
      assert.equal(await lateCompletion({ taskId: ghost.task_id, attempt: ghost.attempt, jobId: job.job_id }, { late: true }), false);
      const kept = await taskOf(job.job_id);
      assert.deepEqual([kept.status, kept.app_version, kept.result], ['completed', APP_VERSION, { greeting: `ghost ${kind} #1 of 1`, worked_ms: 0 }]);
      const events = (await e.service.events(job.job_id, 0, 100)).filter((ev) => ev.task_id === task.task_id);
      const reclaimed = events.find((ev) => ev.event_type === 'task_reclaimed')!;
      assert.equal(reclaimed.worker_id, 'ghost');
      assert.match(String(reclaimed.actor), /^janitor:/);
      assert.equal(events.filter((ev) => ev.event_type === 'task_completed').length, 1);
      const runs = await t.db.query<{ reclaimed: number; details: { reclaimed: { lost_by: string }[] } }>('SELECT reclaimed, details FROM app.janitor_runs ORDER BY run_id DESC LIMIT 1');
      assert.equal(runs.rows[0]!.reclaimed, 1);
      assert.equal(runs.rows[0]!.details.reclaimed[0]!.lost_by, 'ghost');
    });

    it('fails a task that lost its worker more often than its retries allow (TASK_LEASE_EXPIRED)', async () => {
      const { job } = await e.service.submit('hello_world', { n: 1, message: `crashy ${kind}` });
      const ghost = await claimAsGhost(1);
      await t.db.query('UPDATE app.tasks SET reclaims = max_retries WHERE task_id = $1', [ghost.task_id]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const report = await runJanitorSweep(t.db, 'test-janitor', NO_LIMITS);
      assert.deepEqual(report?.failedTasks, [ghost.task_id]);
      const failed = await e.service.get(job.job_id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 'TASK_LEASE_EXPIRED');
    });

    it('drops the result of a task whose job was cancelled while it ran', async () => {
      const { job } = await e.service.submit('hello_world', { n: 1, message: `late ${kind}` });
      const ghost = await claimAsGhost(60_000);
      await e.service.cancel(job.job_id);
      assert.equal(await lateCompletion({ taskId: ghost.task_id, attempt: ghost.attempt, jobId: job.job_id }, 'late'), false);
      assert.equal((await taskOf(job.job_id)).status, 'cancelled');
      assert.equal((await e.service.get(job.job_id)).status, 'cancelled');
    });

    it('records a batch of results across jobs in one transaction, dropping a stale lease', async () => {
      const a = await e.service.submit('noop', { tasks: 2, tag: `batch a ${kind}` });
      const b = await e.service.submit('noop', { tasks: 1, tag: `batch b ${kind}` });
      const claimed = await claimTasks(t.db, { workerId: 'batcher', taskTypes: ['noop'], limit: 10, leaseMs: 60_000 });
      assert.equal(claimed.length, 3);
      const [a0, a1] = claimed.filter((c) => c.job_id === a.job.job_id);
      const [b0] = claimed.filter((c) => c.job_id === b.job.job_id);
      const done = (c: typeof a0, attempt = c!.attempt) => ({ lease: { taskId: c!.task_id, attempt, jobId: c!.job_id }, result: c!.task_index });
      const { accepted } = await completeTasks(t.db, [done(b0), done(a0), done(a1, 99)], APP_VERSION, null);
      assert.deepEqual([...accepted].sort(), [a0!.task_id, b0!.task_id].sort());
      assert.equal((await e.service.get(b.job.job_id)).status, 'completed');
      assert.equal((await e.service.get(a.job.job_id)).status, 'processing');
      assert.deepEqual([...(await completeTasks(t.db, [done(a1)], APP_VERSION, null)).accepted], [a1!.task_id]);
      const finishedA = await e.service.get(a.job.job_id);
      assert.deepEqual([finishedA.status, finishedA.result], ['completed', [0, 1]]);
    });

    it('fails jobs stuck beyond the limits, and records what it did', async () => {
      const queued = await e.service.submit('noop', { tasks: 2, tag: `stuck ${kind}` });
      const stalled = await e.service.submit('noop', { tasks: 1, tag: `stalled ${kind}` });
      // A running job with nothing left to run: a state only a bug or a manual edit could produce.
      await t.db.query("UPDATE app.jobs SET status = 'processing' WHERE job_id = $1", [stalled.job.job_id]);
      await t.db.query("UPDATE app.tasks SET status = 'cancelled' WHERE job_id = $1", [stalled.job.job_id]);
      assert.equal((await runJanitorSweep(t.db, 'test-janitor', NO_LIMITS))?.failedJobs.length, 0);
      const report = await runJanitorSweep(t.db, 'test-janitor', { queuedTimeoutSeconds: 0, stallTimeoutSeconds: 0 });
      assert.deepEqual(report?.failedJobs.map((j) => j.job_id).sort(), [queued.job.job_id, stalled.job.job_id].sort());
      for (const jobId of [queued.job.job_id, stalled.job.job_id]) {
        const job = await e.service.get(jobId);
        assert.equal(job.status, 'failed');
        assert.equal(job.error?.code, 'JOB_STUCK');
      }
      assert.deepEqual((await e.service.get(queued.job.job_id)).stage_views[0]!.tasks, { cancelled: 2 });
      const runs = await t.db.query<{ failed_jobs: number; worker_id: string }>('SELECT failed_jobs, worker_id FROM app.janitor_runs ORDER BY run_id DESC LIMIT 1');
      assert.deepEqual(runs.rows[0], { failed_jobs: 2, worker_id: 'test-janitor' });
    });

    if (kind === 'postgres') {
      it('runs one janitor sweep at a time across processes (advisory lock)', async () => {
        await t.db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock(7210431010)');
          assert.equal(await runJanitorSweep(t.db, 'second-janitor', NO_LIMITS), null);
        });
        assert.notEqual(await runJanitorSweep(t.db, 'second-janitor', NO_LIMITS), null);
      });
    }
  });
}
