import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { loadConfig } from '@meridian/config';
import { createTestDb, TEST_BACKENDS, type TestDb } from '@meridian/db/testing';
import { openBlobStore } from '@meridian/storage';
import type { Worker } from '@meridian/orchestrator';
import { buildApp, type App } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { VERSION, type Runtime } from '../src/runtime.ts';
import type { ExposureMode } from '../src/modes.ts';
import { jobHealthContributors, startWorker } from '../src/job-engine.ts';

const FAST_ENV = { MERIDIAN_TASK_LEASE_MS: '2000', MERIDIAN_TASK_HEARTBEAT_MS: '200', MERIDIAN_WORKER_POLL_MS: '50', MERIDIAN_JANITOR_INTERVAL_MS: '500', MERIDIAN_WORKER_GRACE_MS: '1000' };

async function appFor(runtime: Runtime, mode: ExposureMode): Promise<App> {
  const app = await buildApp({ runtime, mode, healthContributors: jobHealthContributors(runtime) });
  await app.ready();
  return app;
}

for (const kind of TEST_BACKENDS) {
  describe(`jobs HTTP API on ${kind}`, () => {
    let testDb: TestDb;
    let home: string;
    let runtime: Runtime;
    let app: App;
    let worker: Worker | null = null;

    before(async () => {
      home = await mkdtemp(join(tmpdir(), 'meridian-jobs-http-'));
      testDb = await createTestDb(kind);
      const config = loadConfig({ MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'silent', ...FAST_ENV }, process.cwd());
      runtime = { config, log: createLogger(config.logLevel), db: testDb.db, store: openBlobStore(config.storage), startedAt: new Date(), version: VERSION };
      app = await appFor(runtime, 'full');
    });
    after(async () => {
      await worker?.stop();
      await app.close();
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    });

    const submit = (type: string, body: unknown) => app.inject({ method: 'POST', url: `/api/jobs/submit/${type}`, payload: body as Record<string, unknown> });
    const get = (url: string) => app.inject(url);
    async function until(jobId: string, statuses: string[]): Promise<Record<string, unknown>> {
      for (let i = 0; i < 400; i++) {
        const body = (await get(`/api/jobs/${jobId}`)).json();
        if (statuses.includes(body.status)) return body;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`job ${jobId} never reached ${statuses.join('/')}`);
    }

    it('lists the job types with their parameter schemas', async () => {
      const response = await get('/api/jobs/types');
      assert.equal(response.statusCode, 200);
      const hello = response.json().job_types.find((t: { name: string }) => t.name === 'hello_world');
      assert.deepEqual(Object.keys(hello.parameters.properties), ['n', 'message', 'failure_rate', 'duration_ms']);
      assert.deepEqual(hello.stages.map((s: { fan: string }) => s.fan), ['fan_out', 'fan_in']);
    });

    it('submits with 202 and returns the existing job for an identical submission', async () => {
      const first = await submit('hello_world', { n: 2, message: 'http' });
      assert.equal(first.statusCode, 202);
      const body = first.json();
      assert.match(body.job_id, /^[0-9a-f]{64}$/);
      assert.equal(body.status, 'queued');
      assert.equal(body.created, true);
      assert.equal(body.app_version, VERSION);
      assert.deepEqual(body.parameters, { n: 2, message: 'http', failure_rate: 0, duration_ms: 0 });
      assert.equal(first.headers.location, `/api/jobs/${body.job_id}`);
      const bare = await app.inject({ method: 'POST', url: '/api/jobs/submit/noop' });
      assert.equal(bare.statusCode, 202, bare.body);
      assert.deepEqual(bare.json().parameters, { tasks: 1, tag: '' });
      const again = await submit('hello_world', { message: 'http', n: 2, duration_ms: 0 });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().created, false);
      assert.equal(again.json().job_id, body.job_id);
    });

    it('answers 400 naming the bad parameter, and 404 for an unknown job type', async () => {
      const tooMany = await submit('hello_world', { n: 0 });
      assert.equal(tooMany.statusCode, 400);
      assert.equal(tooMany.json().code, 'JOB_PARAMETERS_INVALID');
      assert.equal(tooMany.json().parameter, 'n');
      assert.match(tooMany.json().message, /"n" must be >= 1/);
      const unknown = await submit('hello_world', { colour: 'red' });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().parameter, 'colour');
      const notObject = await app.inject({ method: 'POST', url: '/api/jobs/submit/hello_world', payload: '[1]', headers: { 'content-type': 'application/json' } });
      assert.equal(notObject.statusCode, 400);
      const type = await submit('no_such_type', {});
      assert.equal(type.statusCode, 404);
      assert.equal(type.json().code, 'JOB_TYPE_UNKNOWN');
    });

    it('runs a job and shows it: status, stages with task counts, result, tasks and timeline', async () => {
      worker = await startWorker(runtime, { concurrency: 2 });
      const { job_id: jobId } = (await submit('hello_world', { n: 3, message: 'shown' })).json();
      const job = await until(jobId, ['completed']);
      assert.deepEqual(job.result, { reply: 'Received 3 greetings', greetings: ['shown #1 of 3', 'shown #2 of 3', 'shown #3 of 3'] });
      assert.deepEqual((job.stages as { tasks: unknown }[]).map((s) => s.tasks), [{ completed: 3 }, { completed: 1 }]);
      assert.ok(job.started_at && job.finished_at);

      const tasks = (await get(`/api/jobs/${jobId}/tasks?stage=1&limit=2`)).json();
      assert.equal(tasks.total, 3);
      assert.equal(tasks.tasks.length, 2);
      assert.equal(tasks.next_offset, 2);
      assert.equal(tasks.tasks[0].status, 'completed');
      assert.equal(tasks.tasks[0].app_version, VERSION);
      assert.deepEqual(tasks.tasks[0].input, { item: 1 });

      const all = (await get(`/api/jobs/${jobId}/events?limit=1000`)).json();
      assert.equal(all.events[0].event_type, 'job_submitted');
      assert.equal(all.events.at(-1).event_type, 'job_completed');
      const page = (await get(`/api/jobs/${jobId}/events?limit=3`)).json();
      assert.equal(page.next_after_id, page.events[2].event_id);
      const next = (await get(`/api/jobs/${jobId}/events?limit=3&after_id=${page.next_after_id}`)).json();
      assert.equal(next.events[0].event_id, all.events[3].event_id);
    });

    it('lists jobs by status and type, paged', async () => {
      const listed = (await get('/api/jobs?status=completed&job_type=hello_world&limit=1')).json();
      assert.equal(listed.jobs.length, 1);
      assert.ok(listed.total >= 1);
      assert.equal(listed.jobs[0].status, 'completed');
      assert.equal('result' in listed.jobs[0], false);
      assert.equal((await get('/api/jobs?status=bogus')).statusCode, 400);
      assert.equal((await get('/api/jobs?job_type=none')).json().total, 0);
    });

    it('cancels a running job, and refuses to cancel it twice', async () => {
      const { job_id: jobId } = (await submit('hello_world', { n: 1, duration_ms: 30_000, message: 'to cancel' })).json();
      await until(jobId, ['processing']);
      const cancelled = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/cancel` });
      assert.equal(cancelled.statusCode, 200);
      assert.equal(cancelled.json().status, 'cancelled');
      assert.equal(cancelled.json().error.code, 'JOB_CANCELLED');
      const again = await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/cancel` });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'JOB_ALREADY_COMPLETED');
    });

    it('resubmits a finished job, refusing one still running', async () => {
      const { job_id: running } = (await submit('hello_world', { n: 1, duration_ms: 30_000, message: 'busy' })).json();
      const refused = await app.inject({ method: 'POST', url: `/api/jobs/${running}/resubmit` });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'JOB_IN_PROGRESS');
      await app.inject({ method: 'POST', url: `/api/jobs/${running}/cancel` });
      const resubmitted = await app.inject({ method: 'POST', url: `/api/jobs/${running}/resubmit` });
      assert.equal(resubmitted.statusCode, 202);
      assert.equal(resubmitted.json().submissions, 2);
      await app.inject({ method: 'POST', url: `/api/jobs/${running}/cancel` });
    });

    it('ends failure_rate 1 failed with the catalog error', async () => {
      const { job_id: jobId } = (await submit('hello_world', { n: 2, failure_rate: 1, message: 'doomed' })).json();
      const job = await until(jobId, ['failed']);
      assert.equal((job.error as { code: string }).code, 'HELLO_WORLD_INJECTED_FAILURE');
      assert.equal((job.error as { user_fixable: boolean }).user_fixable, true);
    });

    it('answers 404 for an unknown job and 400 for a malformed id', async () => {
      const missing = await get(`/api/jobs/${'0'.repeat(64)}`);
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'JOB_NOT_FOUND');
      assert.equal((await get(`/api/jobs/${'0'.repeat(64)}/events`)).statusCode, 404);
      assert.equal((await get('/api/jobs/not-an-id')).statusCode, 400);
    });

    it('reports workers and the queue backlog in /api/health', async () => {
      const health = (await get('/api/health')).json();
      assert.equal(health.workers.alive, 1);
      assert.equal(health.workers.slots, 2);
      assert.equal(typeof health.workers.last_heartbeat, 'string');
      assert.equal(typeof health.queue.ready, 'number');
      assert.ok(Array.isArray(health.queue.by_task_type));
    });

    it('documents the job routes in a valid OpenAPI document', async () => {
      const document = (await get('/api/openapi.json')).json();
      for (const path of ['/api/jobs', '/api/jobs/types', '/api/jobs/submit/{job_type}', '/api/jobs/{job_id}', '/api/jobs/{job_id}/tasks', '/api/jobs/{job_id}/events', '/api/jobs/{job_id}/cancel', '/api/jobs/{job_id}/resubmit']) {
        assert.ok(document.paths[path], path);
      }
      await SwaggerParser.validate(structuredClone(document));
    });

    if (kind === 'postgres') {
      it('exposes no job routes in gateway and public modes', async () => {
        for (const mode of ['gateway', 'public'] as const) {
          const restricted = await appFor(runtime, mode);
          assert.equal((await restricted.inject('/api/jobs')).statusCode, 404, mode);
          assert.equal((await restricted.inject({ method: 'POST', url: '/api/jobs/submit/hello_world', payload: {} })).statusCode, 404, mode);
          await restricted.close();
        }
      });
    }
  });
}
