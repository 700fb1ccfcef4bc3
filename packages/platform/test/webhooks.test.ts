import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createTestDb } from '@meridian/db/testing';
import { SIGNATURE_HEADER, WebhookDispatcher, listDeliveries, registerEndpoint, signature, type ReleaseRow } from '../src/index.ts';

const release = {
  release_id: 'a'.repeat(32), asset_id: 'b'.repeat(32), request_id: 'c'.repeat(32), ordinal: 1, revision: 1, version_id: 'v1',
  approval_state: 'approved', clearance_state: 'ouo', processing_status: 'completed', submission: { callbackUrl: null },
} as unknown as ReleaseRow;

test('a receiver that fails twice then succeeds: signed, retried with backoff, exactly one success logged', async () => {
  const testDb = await createTestDb('postgres');
  const received: { body: string; signature: string | undefined; at: number }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ body, signature: request.headers[SIGNATURE_HEADER] as string | undefined, at: Date.now() });
      response.writeHead(received.length <= 2 ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const dispatcher = new WebhookDispatcher({ db: testDb.db, callbackSecret: null, retryBaseMs: 50, maxAttempts: 5, timeoutMs: 2_000, log: { warn: () => {} } });
  try {
    const endpoint = await registerEndpoint(testDb.db, { url: `http://127.0.0.1:${address.port}/hook`, events: ['release.approved'], secret: 'receiver-secret-0123456789' });
    await registerEndpoint(testDb.db, { url: `http://127.0.0.1:${address.port}/other`, events: ['job.failed'], secret: null });
    await dispatcher.emit('release.approved', release, { reviewer: 'rita' });
    await dispatcher.idle();

    assert.equal(received.length, 3, 'two failures and one success, and nothing for the endpoint not subscribed');
    for (const r of received) assert.equal(r.signature, signature('receiver-secret-0123456789', r.body));
    assert.equal(new Set(received.map((r) => r.body)).size, 1, 'every attempt sends the same event');
    assert.ok(received[2]!.at - received[1]!.at >= 90, 'the second retry waits longer (backoff)');
    const event = JSON.parse(received[0]!.body) as Record<string, unknown>;
    assert.equal(event.event_type, 'release.approved');
    assert.equal((event.release as Record<string, unknown>).release_id, release.release_id);

    const deliveries = await listDeliveries(testDb.db, { eventId: event.event_id as string, limit: 10 });
    assert.deepEqual(deliveries.map((d) => [d.attempt, d.outcome, d.response_status, d.endpoint_id]).reverse(), [
      [1, 'failed', 503, endpoint.endpoint_id], [2, 'failed', 503, endpoint.endpoint_id], [3, 'succeeded', 204, endpoint.endpoint_id],
    ]);
    assert.equal(deliveries.filter((d) => d.outcome === 'succeeded').length, 1);
  } finally {
    await dispatcher.close();
    server.close();
    await testDb.drop();
  }
});
