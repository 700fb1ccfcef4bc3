import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, TEST_BACKENDS, type TestDb } from '@meridian/db/testing';
import { isDbError } from '@meridian/db';
import { listWorkers, queueBacklog } from '../src/index.ts';
import { APP_VERSION, engine, eventTypes, eventually, FAST, sleep, type Engine } from './helpers.ts';
import { TEST_HANDLERS, TEST_JOB_TYPES, flakyAttempts } from './test-job-types.ts';

for (const kind of TEST_BACKENDS) {
  describe(`job engine on ${kind}`, () => {
    let t: TestDb;
    let e: Engine;
    before(async () => {
      t = await createTestDb(kind);
      e = engine(t.db, { jobTypes: TEST_JOB_TYPES, handlers: TEST_HANDLERS });
    });
    afterEach(() => e.stopAll());
    after(() => t.drop());

    const finished = (jobId: string) => e.service.waitFor(jobId, { pollMs: 50 });

    it('runs hello_world: fan-out greetings, fan-in reply, full timeline, app version recorded', async () => {
      const { job, created } = await e.service.submit('hello_world', { n: 5, message: 'Hi' });
      assert.equal(created, true);
      assert.equal(job.status, 'queued');
      assert.deepEqual(job.stage_views.map((s) => [s.stage, s.task_type, s.fan, s.tasks]), [
        [1, 'hello_world_greeting', 'fan_out', { ready: 5 }],
        [2, 'hello_world_reply', 'fan_in', {}],
      ]);
      await e.startWorker();
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.result, { reply: 'Received 5 greetings', greetings: [1, 2, 3, 4, 5].map((i) => `Hi #${i} of 5`) });
      assert.equal(done.app_version, APP_VERSION);
      assert.deepEqual(done.stage_views.map((s) => s.tasks), [{ completed: 5 }, { completed: 1 }]);
      const { tasks } = await e.service.tasks(job.job_id, { limit: 100, offset: 0 });
      assert.equal(tasks.length, 6);
      assert.ok(tasks.every((task) => task.app_version === APP_VERSION && task.attempt === 1 && task.claimed_by));
      const types = await eventTypes(t.db, job.job_id);
      assert.equal(types[0], 'job_submitted');
      assert.equal(types.at(-1), 'job_completed');
      for (const [type, count] of Object.entries({ job_started: 1, stage_started: 2, stage_completed: 2, task_started: 6, task_completed: 6, job_completed: 1 })) {
        assert.equal(types.filter((x) => x === type).length, count, type);
      }
      const events = await e.service.events(job.job_id, 0, 1000);
      const completedTask = events.find((ev) => ev.event_type === 'task_completed')!;
      assert.ok(completedTask.worker_id && completedTask.task_id && completedTask.duration_ms !== null);
    });

    it('returns the existing job for an identical submission', async () => {
      const first = await e.service.submit('hello_world', { message: 'same', n: 2 });
      const again = await e.service.submit('hello_world', { n: 2, message: 'same', failure_rate: 0 });
      assert.equal(again.created, false);
      assert.equal(again.job.job_id, first.job.job_id);
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app.tasks WHERE job_id = $1', [first.job.job_id]);
      assert.equal(rows[0]!.n, 2);
    });

    it('rejects illegal state transitions in SQL', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('hello_world', { n: 1, message: 'transitions' });
      await finished(job.job_id);
      const illegal = (e: unknown) => isDbError(e, '23514') && /illegal (task|job) transition/.test((e as Error).message);
      await assert.rejects(t.db.query("UPDATE app.tasks SET status = 'ready' WHERE job_id = $1", [job.job_id]), illegal);
      await assert.rejects(t.db.query("UPDATE app.tasks SET status = 'processing' WHERE job_id = $1", [job.job_id]), illegal);
      await assert.rejects(t.db.query("UPDATE app.jobs SET status = 'processing' WHERE job_id = $1", [job.job_id]), illegal);
      await assert.rejects(t.db.query("UPDATE app.jobs SET status = 'cancelled' WHERE job_id = $1", [job.job_id]), illegal);
      await assert.rejects(
        t.db.query("INSERT INTO app.tasks (job_id, stage, task_index, task_type, status, max_retries) VALUES ($1, 9, 0, 'x', 'completed', 0)", [job.job_id]),
        (err: unknown) => isDbError(err, '23514'),
      );
      assert.equal((await e.service.get(job.job_id)).status, 'completed');
    });

    it('retries a transient failure on the backoff schedule, then succeeds', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('flaky', { fail_times: 2, tag: kind });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.result, { attempts: 3 });
      const times = flakyAttempts.get(job.job_id)!;
      assert.equal(times.length, 3);
      // Retry n waits base · 2^n: 40 ms, then 80 ms.
      assert.ok(times[1]! - times[0]! >= 40, `first retry after ${times[1]! - times[0]!} ms`);
      assert.ok(times[2]! - times[1]! >= 80, `second retry after ${times[2]! - times[1]!} ms`);
      const events = await e.service.events(job.job_id, 0, 100);
      const scheduled = events.filter((ev) => ev.event_type === 'task_retry_scheduled');
      assert.equal(scheduled.length, 2);
      // run_after is set in the UPDATE, the event's created_at a moment later in its trigger: each delay is at
      // most the schedule's, and less by however long the machine paused in between (20 ms of slack for a loaded CI).
      const delays = scheduled.map((ev) => new Date(ev.data.run_after as string).getTime() - ev.created_at.getTime());
      assert.ok(delays[0]! > 20 && delays[0]! <= 41, `delays ${delays}`);
      assert.ok(delays[1]! > 60 && delays[1]! <= 81, `delays ${delays}`);
      assert.equal((scheduled[0]!.data.error as { code: string }).code, 'TASK_FAILED');
    });

    it('fails the job with TASK_FAILED once the retries are used up', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('flaky', { fail_times: 10, tag: kind });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'failed');
      assert.equal(done.error?.code, 'TASK_FAILED');
      assert.match(String(done.error?.message), /transient trouble on attempt 4 \(gave up after 4 attempts\)/);
      assert.equal(flakyAttempts.get(job.job_id)!.length, 4);
    });

    it('fails the job at once on a permanent error and cancels its other tasks', async () => {
      await e.startWorker({ concurrency: 2 });
      const { job } = await e.service.submit('picky', { n: 6, bad: 0 });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'failed');
      assert.equal(done.error?.code, 'FILE_NOT_FOUND');
      assert.equal(done.error?.user_fixable, true);
      assert.equal(done.error?.stage, 1);
      const { tasks } = await e.service.tasks(job.job_id, { limit: 100, offset: 0 });
      const bad = tasks.find((task) => task.task_index === 0)!;
      assert.equal(bad.status, 'failed');
      assert.equal(bad.retry_count, 0);
      assert.ok(tasks.filter((task) => task.status === 'cancelled').length >= 3);
      assert.equal(tasks.filter((task) => task.stage === 2).length, 0);
    });

    it('ends hello_world with failure_rate 1 failed, with the catalog error', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('hello_world', { n: 3, failure_rate: 1, message: kind });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'failed');
      assert.equal(done.error?.code, 'HELLO_WORLD_INJECTED_FAILURE');
      assert.equal(done.error?.user_fixable, true);
      assert.ok(String(done.error?.remedy).includes('failure_rate 0'));
      const types = await eventTypes(t.db, job.job_id);
      assert.equal(types.filter((x) => x === 'task_retry_scheduled').length, 0);
      assert.equal(types.at(-1) === 'job_failed' || types.includes('job_failed'), true);
    });

    it('ends completed_with_errors when a stage that tolerates failures has some', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('tolerant', { n: 4, bad: 1, tolerate: true });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed_with_errors');
      assert.equal(done.failed_tasks, 1);
      assert.deepEqual(done.result, { gathered: [0, 2, 3] });
    });

    it('completes a stage with zero tasks at once', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('empty_fan', {});
      const done = await finished(job.job_id);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.result, { gathered: [] });
      assert.deepEqual(done.stage_views.map((s) => s.tasks), [{}, { completed: 1 }]);
    });

    it('aborts a task that runs past its time limit and retries it (TASK_TIMEOUT)', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('sluggish', { tag: kind });
      const done = await finished(job.job_id);
      assert.equal(done.status, 'failed');
      assert.equal(done.error?.code, 'TASK_TIMEOUT');
      const types = await eventTypes(t.db, job.job_id);
      assert.equal(types.filter((x) => x === 'task_started').length, 2);
    });

    it('never lets a failing event insert fail the job', async () => {
      await t.db.execScript('ALTER TABLE app.job_events ADD CONSTRAINT reject_all CHECK (false) NOT VALID');
      try {
        await e.startWorker();
        const { job } = await e.service.submit('hello_world', { n: 2, message: `no events ${kind}` });
        const done = await finished(job.job_id);
        assert.equal(done.status, 'completed');
        assert.deepEqual(await eventTypes(t.db, job.job_id), []);
      } finally {
        await t.db.execScript('ALTER TABLE app.job_events DROP CONSTRAINT reject_all');
      }
    });

    it('cancels a running job: the task gets the abort signal, late results are dropped', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('hello_world', { n: 2, duration_ms: 20_000, message: `cancel ${kind}` });
      await eventually(async () => ((await e.service.get(job.job_id)).stage_views[0]!.tasks.processing === 2 ? true : undefined));
      const started = Date.now();
      const cancelled = await e.service.cancel(job.job_id);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.error?.code, 'JOB_CANCELLED');
      assert.deepEqual(cancelled.stage_views[0]!.tasks, { cancelled: 2 });
      // The workers stop the handlers within a heartbeat or two, well before their 20 s of work.
      await eventually(async () => ((await listWorkers(t.db, 60_000)).every((w) => w.busy === 0) ? true : undefined), 5_000, 'idle workers');
      assert.ok(Date.now() - started < 5_000);
      await assert.rejects(e.service.cancel(job.job_id), { code: 'JOB_ALREADY_COMPLETED' });
    });

    it('resubmits a finished job: old tasks cleaned, events kept, runs again', async () => {
      await e.startWorker();
      const { job } = await e.service.submit('hello_world', { n: 2, failure_rate: 1, message: `resubmit ${kind}` });
      await finished(job.job_id);
      const before = (await eventTypes(t.db, job.job_id)).length;
      const again = await e.service.resubmit(job.job_id);
      assert.equal(again.submissions, 2);
      assert.ok(['queued', 'processing', 'failed'].includes(again.status));
      const done = await finished(job.job_id);
      assert.equal(done.status, 'failed');
      const types = await eventTypes(t.db, job.job_id);
      assert.ok(types.length > before);
      assert.equal(types.filter((x) => x === 'job_submitted').length, 1);
      assert.equal(types.filter((x) => x === 'job_resubmitted').length, 1);
      const { total } = await e.service.tasks(job.job_id, { limit: 1, offset: 0 });
      assert.equal(total, 2);
    });

    it('refuses to resubmit a job that is still running', async () => {
      const { job } = await e.service.submit('hello_world', { n: 1, message: `busy ${kind}` });
      await assert.rejects(e.service.resubmit(job.job_id), { code: 'JOB_IN_PROGRESS' });
      await e.service.cancel(job.job_id);
    });

    it('routes by task type: a greeting-only worker leaves the reply for another', async () => {
      const greeter = await e.startWorker({ taskTypes: 'hello_world_gree*' });
      assert.deepEqual(greeter.taskTypes, ['hello_world_greeting']);
      const { job } = await e.service.submit('hello_world', { n: 3, message: `routing ${kind}` });
      const reply = await eventually(async () => {
        const detail = await e.service.get(job.job_id);
        return detail.stage_views[1]!.tasks.ready === 1 ? detail : undefined;
      });
      assert.deepEqual(reply.stage_views[0]!.tasks, { completed: 3 });
      await sleep(200);
      assert.equal((await e.service.get(job.job_id)).status, 'processing');
      const backlog = await queueBacklog(t.db);
      assert.equal(backlog.find((b) => b.task_type === 'hello_world_reply')?.ready, 1);
      await e.startWorker({ taskTypes: 'hello_world_reply' });
      assert.equal((await finished(job.job_id)).status, 'completed');
    });

    it('wakes an idle worker at once on new work, without waiting for its poll', async () => {
      await e.startWorker({ timing: { ...FAST, pollMs: 60_000 } });
      await sleep(100);
      const started = Date.now();
      const { job } = await e.service.submit('hello_world', { n: 2, message: `wake ${kind}` });
      assert.equal((await finished(job.job_id)).status, 'completed');
      assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    });

    it('shows live workers with their load in app.workers', async () => {
      const worker = await e.startWorker({ concurrency: 3 });
      const rows = await listWorkers(t.db, 10_000);
      const row = rows.find((r) => r.worker_id === worker.id)!;
      assert.equal(row.alive, true);
      assert.equal(row.concurrency, 3);
      await e.stopAll();
      assert.equal((await listWorkers(t.db, 10_000)).some((r) => r.worker_id === worker.id), false);
    });
  });
}
