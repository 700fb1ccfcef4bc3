import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgTestDb, type TestDb } from '@meridian/db/testing';
import { HandlerRegistry, BUILTIN_HANDLERS, Worker } from '@meridian/orchestrator';
import { loadConfig } from '@meridian/config';
import { runToEnd } from './cli-process.ts';

const silent = { child: () => silent, debug() {}, info() {}, warn() {}, error() {} };

describe('meridian submit and meridian jobs', () => {
  let testDb: TestDb;
  let home: string;
  let env: Record<string, string>;
  before(async () => {
    testDb = await createPgTestDb();
    home = await mkdtemp(join(tmpdir(), 'meridian-jobs-cli-'));
    env = { MERIDIAN_DATABASE_URL: testDb.location, MERIDIAN_HOME: home };
  });
  after(async () => {
    await testDb.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('submits with --param (strings stay text, the rest is JSON) and prints the job id', async () => {
    const { code, stdout, stderr } = await runToEnd(['submit', 'hello_world', '--param', 'n=2', '--param', 'message=42'], env);
    assert.equal(code, 0, stderr);
    const jobId = stdout.trim();
    assert.match(jobId, /^[0-9a-f]{64}$/);
    const { rows } = await testDb.db.query<{ parameters: Record<string, unknown> }>('SELECT parameters FROM app.jobs WHERE job_id = $1', [jobId]);
    assert.deepEqual(rows[0]!.parameters, { n: 2, message: '42', failure_rate: 0, duration_ms: 0 });

    const again = await runToEnd(['submit', 'hello_world', '--param', 'message=42', '--param', 'n=2'], env);
    assert.equal(again.stdout.trim(), jobId);
    assert.match(again.stderr, /identical job exists already/);

    const listed = await runToEnd(['jobs', '--status', 'queued'], env);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, new RegExp(`${jobId}\\s+hello_world\\s+queued\\s+1/2`));
    const shown = await runToEnd(['jobs', 'show', jobId], env);
    const job = JSON.parse(shown.stdout);
    assert.equal(job.job_id, jobId);
    assert.deepEqual(job.stages.map((s: { tasks: unknown }) => s.tasks), [{ ready: 2 }, {}]);
    assert.equal(job.events[0].event_type, 'job_submitted');
  });

  it('waits for the job with --wait and exits 0 when it completed', async () => {
    const config = loadConfig({ MERIDIAN_TASK_LEASE_MS: '2000', MERIDIAN_WORKER_POLL_MS: '50' }, home);
    const worker = new Worker({ db: testDb.db, handlers: new HandlerRegistry(BUILTIN_HANDLERS), log: silent, appVersion: 'test', timing: config.jobs, concurrency: 2 });
    await worker.start();
    try {
      const { code, stdout, stderr } = await runToEnd(['submit', 'hello_world', '--param', 'n=3', '--param', 'message=waited', '--wait'], env);
      assert.equal(code, 0, stderr);
      const [, ...json] = stdout.trim().split('\n');
      const outcome = JSON.parse(json.join('\n'));
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.result.reply, 'Received 3 greetings');
      const failed = await runToEnd(['submit', 'hello_world', '--param', 'failure_rate=1', '--wait'], env);
      assert.equal(failed.code, 1);
      assert.match(failed.stdout, /HELLO_WORLD_INJECTED_FAILURE/);
    } finally {
      await worker.stop();
    }
  });

  it('rejects bad input with the catalog error', async () => {
    const invalid = await runToEnd(['submit', 'hello_world', '--param', 'n=0'], env);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /JOB_PARAMETERS_INVALID: parameter "n" must be >= 1/);
    const unknown = await runToEnd(['submit', 'nope'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /JOB_TYPE_UNKNOWN/);
    const missing = await runToEnd(['jobs', 'show', 'f'.repeat(64)], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /JOB_NOT_FOUND/);
  });
});
