import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@meridian/orchestrator';
import { rgbImage, writeGeoTiff } from '../../../fixtures/raster-fixtures.ts';
import { startWorker } from '../src/job-engine.ts';
import { oidcEnv, signingKey, token, writeJwksFile, type SigningKey } from './auth-keys.ts';
import { createTestApp, type TestApp } from './support.ts';

type Role = 'anonymous' | 'reader' | 'submitter' | 'reviewer';

async function headersFor(key: SigningKey, role: Role): Promise<Record<string, string>> {
  if (role === 'anonymous') return {};
  return { authorization: `Bearer ${await token(key, { roles: [role], azp: 'ddh', sub: role })}` };
}

async function waitForJob(t: TestApp, auth: Record<string, string>, jobId: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { status } = (await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}`, headers: auth })).json() as { status: string };
    if (!['queued', 'processing'].includes(status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function local(url: string): string {
  return new URL(url).pathname + new URL(url).search;
}

async function waitForStatus(t: TestApp, auth: Record<string, string>, id: string, done: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await t.app.inject({ method: 'GET', url: `/api/platform/status/${id}`, headers: auth });
    const body = response.json() as Record<string, unknown>;
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`status never settled: ${response.body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('raster lifecycle through the real ETL: submit → 202 → approve → served by role → revoke → unpublish; versions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-lifecycle-'));
  const key = await signingKey('lifecycle');
  const t = await createTestApp({ env: { ...oidcEnv(await writeJwksFile(dir, [key])), MERIDIAN_WORKER_POLL_MS: '50', MERIDIAN_PUBLIC_URL: 'http://meridian.test' } });
  let worker: Worker | null = null;
  try {
    const as = { anonymous: await headersFor(key, 'anonymous'), reader: await headersFor(key, 'reader'), submitter: await headersFor(key, 'submitter'), reviewer: await headersFor(key, 'reviewer') };
    const tif = await writeGeoTiff(join(dir, 'scene.tif'), rgbImage(96, 64));
    await t.runtime.store.put({ container: 'bronze-uploads', key: 'scenes/scene.tif' }, createReadStream(tif));
    const body = { dataset_id: 'Nairobi', resource_id: 'scene', container_name: 'bronze-uploads', file_name: 'scenes/scene.tif', title: 'Nairobi scene' };
    const post = (url: string, payload: object, role: Role) => t.app.inject({ method: 'POST', url, payload, headers: as[role] });

    const accepted = await post('/api/platform/submit', body, 'submitter');
    assert.equal(accepted.statusCode, 202, accepted.body);
    const { request_id: requestId, job_type: jobType, monitor_url: monitorUrl } = accepted.json();
    assert.equal(jobType, 'process_raster');
    assert.equal(monitorUrl, `http://meridian.test/api/platform/status/${requestId}`);
    const processing = await t.app.inject({ method: 'GET', url: local(monitorUrl), headers: as.reader });
    assert.equal(processing.statusCode, 202);
    assert.equal(processing.headers['retry-after'], '5');
    assert.equal((await post('/api/platform/submit', body, 'submitter')).json().error_type, 'ReleaseExistsError');

    worker = await startWorker(t.runtime, { concurrency: 2 });
    const completed = await waitForStatus(t, as.reader, requestId, (b) => (b.release as Record<string, unknown>).processing_status !== 'pending' && (b.release as Record<string, unknown>).processing_status !== 'processing');
    assert.equal(completed.job_status, 'completed', JSON.stringify(completed.error));
    const services = completed.services as Record<string, string>;
    assert.equal(services.stac_item, 'http://meridian.test/api/stac/collections/nairobi-scene/items/nairobi-scene-ord1');

    // Pending review: only reviewers see the item and its tiles; everyone else gets 404, never 403.
    const seen = async (url: string) => Object.fromEntries(await Promise.all((['anonymous', 'reader', 'submitter', 'reviewer'] as const).map(async (role) =>
      [role, (await t.app.inject({ method: 'GET', url: local(url), headers: as[role] })).statusCode])));
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });

    const approved = await post('/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'ouo' }, 'reviewer');
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().version_id, 'v1');
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 200, submitter: 200, reviewer: 200 });
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 200, submitter: 200, reviewer: 200 });
    const item = (await t.app.inject({ method: 'GET', url: local(services.stac_item!), headers: as.reader })).json();
    assert.deepEqual([item.properties['platform:dataset_id'], item.properties['platform:resource_id'], item.properties['platform:version_id']], ['Nairobi', 'scene', 'v1']);

    // A second version, approved public: anonymous callers see it, and v1 stays as it was.
    const v2 = await post('/api/platform/submit', { ...body, version_id: 'v2', previous_version_id: 'v1' }, 'submitter');
    assert.equal(v2.statusCode, 202, v2.body);
    const v2Done = await waitForStatus(t, as.reader, v2.json().request_id, (b) => (b.release as Record<string, unknown>).processing_status === 'completed');
    const v2Item = (v2Done.services as Record<string, string>).stac_item!;
    await post('/api/platform/approve', { request_id: v2.json().request_id, reviewer: 'rita', clearance_state: 'public' }, 'reviewer');
    assert.deepEqual(await seen(v2Item), { anonymous: 200, reader: 200, submitter: 200, reviewer: 200 });
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 200, submitter: 200, reviewer: 200 });
    assert.deepEqual((v2Done.versions as Record<string, unknown>[]).map((v) => v.version_ordinal), [2, 1]);

    // Revoke v1: unserved everywhere at once; reviewers still see it (data kept for audit).
    assert.equal((await post('/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'superseded' }, 'submitter')).statusCode, 403);
    const revoked = await post('/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'superseded' }, 'reviewer');
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });

    // Unpublish v1 (dry run first), idempotent; v2 keeps being served.
    const dry = await post('/api/platform/unpublish', { request_id: requestId, dry_run: true }, 'submitter');
    assert.deepEqual([dry.statusCode, dry.json().dry_run, dry.json().data_type], [200, true, 'raster']);
    const gone = await post('/api/platform/unpublish', { request_id: requestId }, 'submitter');
    assert.equal(gone.statusCode, 202, gone.body);
    assert.equal(gone.json().job_type, 'unpublish_raster');
    const again = await post('/api/platform/unpublish', { request_id: requestId }, 'submitter');
    assert.deepEqual([again.statusCode, again.json().job_id], [200, gone.json().job_id]);
    assert.equal(await waitForJob(t, as.reviewer, gone.json().job_id), 'completed');
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 404 });
    assert.deepEqual(await seen(v2Item), { anonymous: 200, reader: 200, submitter: 200, reviewer: 200 });

    const history = (await t.app.inject({ method: 'GET', url: '/api/approvals/history', headers: as.reviewer })).json();
    assert.deepEqual(history.entries.map((e: { action: string }) => e.action).reverse(), ['submitted', 'approved', 'submitted', 'approved', 'revoked', 'unpublished']);
  } finally {
    await worker?.stop();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
});
