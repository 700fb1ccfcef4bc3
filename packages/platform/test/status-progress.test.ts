import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status, submit } from '../src/index.ts';
import { harness } from './harness.ts';

test('status while processing: progress.checkpoint is the running task\'s last checkpoint, null before and after', async () => {
  const h = await harness();
  try {
    const body = { dataset_id: 'floods', resource_id: 'depth', container_name: 'bronze-uploads', file_name: 'held-depth.tif' };
    const accepted = await submit(h.ctx, body, { dryRun: false, actor: 'tester' });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const requestId = accepted.body.request_id as string;

    const queued = await status(h.ctx, requestId);
    assert.equal(queued.status, 202);
    assert.equal((queued.body.progress as Record<string, unknown>).checkpoint, null, 'no task has run yet');

    await h.startWorker();
    const deadline = Date.now() + 30_000;
    let running = await status(h.ctx, requestId);
    while ((running.body.progress as Record<string, unknown> | null)?.checkpoint === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      running = await status(h.ctx, requestId);
    }
    assert.equal(running.status, 202);
    const progress = running.body.progress as Record<string, unknown>;
    const checkpoint = progress.checkpoint as Record<string, unknown>;
    assert.deepEqual({ ...checkpoint, saved_at: typeof checkpoint.saved_at }, { phase: 'converting', saved_at: 'string', task_index: 0, data: { tiles_done: 3, tiles_total: 8 } });
    assert.ok(Date.parse(checkpoint.saved_at as string) >= Date.parse(progress.started_at as string), 'saved while the job ran');
    assert.equal(progress.stage, 'run');

    h.releaseHeld();
    await h.finish(accepted.body.job_id as string);
    const done = await status(h.ctx, requestId);
    assert.deepEqual([done.status, done.body.progress], [200, null]);
  } finally {
    await h.close();
  }
});
