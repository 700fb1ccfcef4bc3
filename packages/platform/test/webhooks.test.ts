import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import { SIGNATURE_HEADER, WebhookDispatcher, listDeliveries, registerEndpoint, signature, type ReleaseRow, type WebhookOptions } from '../src/index.ts';

const release = {
  release_id: 'a'.repeat(32), asset_id: 'b'.repeat(32), request_id: 'c'.repeat(32), ordinal: 1, revision: 1, version_id: 'v1',
  approval_state: 'approved', clearance_state: 'ouo', processing_status: 'completed', submission: { callbackUrl: null },
} as unknown as ReleaseRow;

interface Receiver {
  url: string;
  received: { body: string; signature: string | undefined; at: number }[];
  close(): void;
}

/** An HTTP receiver answering 503 to its first `failures` requests, then 204. */
async function receiver(failures: number): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ body, signature: request.headers[SIGNATURE_HEADER] as string | undefined, at: Date.now() });
      response.writeHead(received.length <= failures ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/hook`, received, close: () => server.close() };
}

function dispatcher(testDb: TestDb, overrides: Partial<WebhookOptions> = {}): WebhookDispatcher {
  return new WebhookDispatcher({ db: testDb.db, callbackSecret: null, retryBaseMs: 50, maxAttempts: 5, timeoutMs: 2_000, pollMs: 20, log: { warn: () => {} }, ...overrides });
}

async function outbox(testDb: TestDb): Promise<{ status: string; attempts: number; last_error: string | null }[]> {
  return (await testDb.db.query<{ status: string; attempts: number; last_error: string | null }>('SELECT status, attempts, last_error FROM app.webhook_outbox ORDER BY outbox_id')).rows;
}

/** Waits (up to a minute, polling) until no delivery is pending any more. */
async function settled(testDb: TestDb): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await outbox(testDb)).some((r) => r.status === 'pending')) {
    if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(await outbox(testDb))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const kind of TEST_BACKENDS) {
  test(`${kind}: a receiver that fails twice then succeeds: signed, retried with backoff from the outbox, exactly one success logged`, async () => {
    const testDb = await createTestDb(kind);
    const hook = await receiver(2);
    const other = await receiver(0);
    const webhooks = dispatcher(testDb);
    try {
      const endpoint = await registerEndpoint(testDb.db, { url: hook.url, events: ['release.approved'], secret: 'receiver-secret-0123456789' });
      await registerEndpoint(testDb.db, { url: other.url, events: ['job.failed'], secret: null });
      webhooks.start();
      await webhooks.emit('release.approved', release, { reviewer: 'rita' });
      await settled(testDb);

      assert.equal(hook.received.length, 3, 'two failures and one success');
      assert.equal(other.received.length, 0, 'nothing for the endpoint not subscribed');
      for (const r of hook.received) assert.equal(r.signature, signature('receiver-secret-0123456789', r.body));
      assert.equal(new Set(hook.received.map((r) => r.body)).size, 1, 'every attempt sends the same event');
      assert.ok(hook.received[2]!.at - hook.received[1]!.at >= 100, 'the second retry waits base · 2 (backoff)');
      const event = JSON.parse(hook.received[0]!.body) as Record<string, unknown>;
      assert.equal(event.event_type, 'release.approved');
      assert.equal((event.release as Record<string, unknown>).release_id, release.release_id);

      const deliveries = await listDeliveries(testDb.db, { eventId: event.event_id as string, limit: 10 });
      assert.deepEqual(deliveries.map((d) => [d.attempt, d.outcome, d.response_status, d.endpoint_id]).reverse(), [
        [1, 'failed', 503, endpoint.endpoint_id], [2, 'failed', 503, endpoint.endpoint_id], [3, 'succeeded', 204, endpoint.endpoint_id],
      ]);
      assert.equal(deliveries.filter((d) => d.outcome === 'succeeded').length, 1);
      assert.deepEqual(await outbox(testDb), [{ status: 'succeeded', attempts: 3, last_error: null }]);
    } finally {
      await webhooks.close();
      hook.close();
      other.close();
      await testDb.drop();
    }
  });
}

test('a pending retry survives a restart: a new dispatcher over the same database delivers it', async () => {
  const testDb = await createTestDb('postgres');
  const hook = await receiver(1);
  // The first process retries only after an hour: its retry is still pending when it stops.
  const first = dispatcher(testDb, { retryBaseMs: 3_600_000, callbackSecret: 'callback-secret-0123456789' });
  const second = dispatcher(testDb, { callbackSecret: 'callback-secret-0123456789' });
  try {
    first.start();
    await first.emit('job.completed', { ...release, submission: { callbackUrl: hook.url } } as ReleaseRow, { job_id: 'd'.repeat(64) });
    const deadline = Date.now() + 60_000;
    while ((await outbox(testDb))[0]?.attempts !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await first.close();
    assert.deepEqual(await outbox(testDb), [{ status: 'pending', attempts: 1, last_error: 'HTTP 503' }]);

    // The hour passes while nothing runs; then a new process starts its loop over the same database.
    await testDb.db.query("UPDATE app.webhook_outbox SET next_attempt_at = clock_timestamp() - interval '1 second'");
    second.start();
    await settled(testDb);
    assert.deepEqual(await outbox(testDb), [{ status: 'succeeded', attempts: 2, last_error: null }]);
    assert.equal(hook.received.length, 2);
    for (const r of hook.received) assert.equal(r.signature, signature('callback-secret-0123456789', r.body), 'the callback_url is signed with MERIDIAN_WEBHOOK_SECRET');
    const deliveries = await listDeliveries(testDb.db, { eventId: null, limit: 10 });
    assert.deepEqual(deliveries.map((d) => [d.attempt, d.outcome, d.url]).reverse(), [[1, 'failed', hook.url], [2, 'succeeded', hook.url]]);
  } finally {
    await first.close();
    await second.close();
    hook.close();
    await testDb.drop();
  }
});

test('a receiver that never answers 2xx: given up after maxAttempts, every attempt logged', async () => {
  const testDb = await createTestDb('postgres');
  const hook = await receiver(Number.MAX_SAFE_INTEGER);
  const webhooks = dispatcher(testDb, { maxAttempts: 3, retryBaseMs: 10 });
  try {
    await registerEndpoint(testDb.db, { url: hook.url, events: [], secret: null });
    webhooks.start();
    await webhooks.emit('release.revoked', release, {});
    await settled(testDb);
    assert.deepEqual(await outbox(testDb), [{ status: 'failed', attempts: 3, last_error: 'HTTP 503' }]);
    assert.equal(hook.received.length, 3);
    assert.equal(hook.received[0]!.signature !== undefined, true, 'a generated secret signs the deliveries');
    assert.deepEqual((await listDeliveries(testDb.db, { eventId: null, limit: 10 })).map((d) => d.outcome), ['failed', 'failed', 'failed']);
  } finally {
    await webhooks.close();
    hook.close();
    await testDb.drop();
  }
});
