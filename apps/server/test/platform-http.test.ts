import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oidcEnv, signingKey, token, writeJwksFile } from './auth-keys.ts';
import { createTestApp } from './support.ts';

const base = { dataset_id: 'ds1', resource_id: 'res1', container_name: 'bronze-uploads', file_name: 'roads.geojson' };

test('the contract envelope: 400s naming the field, 404 NotFound, no-store, every request recorded', async () => {
  const t = await createTestApp();
  try {
    const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: { 'user-agent': 'ddh-client/2.1' } });
    const expectError = async (url: string, payload: unknown, status: number, errorType: string, pattern: RegExp) => {
      const response = await post(url, payload);
      assert.equal(response.statusCode, status, response.body);
      assert.equal(response.headers['cache-control'], 'no-store');
      const body = response.json();
      assert.equal(body.success, false);
      assert.equal(body.error_type, errorType);
      assert.match(body.error, pattern);
      return body;
    };
    const unknown = await expectError('/api/platform/submit', { ...base, colour: 'red' }, 400, 'ValidationError', /Unknown field 'colour'.*Valid fields: dataset_id/);
    assert.equal(unknown.field, 'colour');
    assert.ok(unknown.valid_fields.includes('processing_options'));
    await expectError('/api/platform/submit', { ...base, dataset_id: undefined }, 400, 'ValidationError', /dataset_id/);
    for (const bad of ["1'; DROP TABLE app.releases;--", '../../etc/passwd', 'データ', 'a'.repeat(300), '%2e%2e', 'x\u0000y']) {
      await expectError('/api/platform/submit', { ...base, dataset_id: bad }, 400, 'ValidationError', /dataset_id/);
      await expectError('/api/platform/validate', { ...base, resource_id: bad }, 400, 'ValidationError', /resource_id/);
    }
    await expectError('/api/platform/submit', { ...base, file_name: 'a.exe' }, 400, 'ValidationError', /Unsupported file format/);
    await expectError('/api/platform/submit', { ...base, access_level: 'restricted' }, 400, 'ValidationError', /not yet supported/);
    await expectError('/api/platform/submit', { ...base, file_name: 'c.nc' }, 501, 'NotImplemented', /zarr/i);
    await expectError('/api/platform/approve', { reviewer: 'r', clearance_state: 'ouo' }, 400, 'ValidationError', /identify the release/);
    await expectError('/api/platform/approve', { release_id: 'a'.repeat(32), reviewer: 'r', clearance_state: 'ouo' }, 404, 'NotFound', /No release/);
    await expectError('/api/platform/reject', { release_id: "'; --", reviewer: 'r', reason: 'x' }, 400, 'ValidationError', /release_id/);
    await expectError('/api/platform/unpublish', { dataset_id: 'ds1', resource_id: 'res1' }, 404, 'NotFound', /No release/);
    await expectError('/api/platform/resubmit', { job_id: 'b'.repeat(64) }, 404, 'NotFound', /job_id/);
    await expectError('/api/platform/submit', '{not json', 400, 'ValidationError', /./);

    const missing = await t.app.inject({ method: 'GET', url: `/api/platform/status/${'c'.repeat(32)}` });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error_type, 'NotFound');
    assert.equal(missing.headers['cache-control'], 'no-store');
    const nowhere = await t.app.inject({ method: 'GET', url: '/api/platform/nothing-here' });
    assert.equal(nowhere.json().error_type, 'NotFound');

    const health = await t.app.inject({ method: 'GET', url: '/api/platform/health' });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json().success, true);
    assert.equal(health.json().auth, 'off');

    // 20 requests that are not dry runs (validate is one: never recorded); rows land once responses have gone out.
    const recorded = () => t.runtime.db.query<{ endpoint: string; caller_client: string; status: number; body_sha256: string | null }>(
      'SELECT endpoint, caller_client, status, body_sha256 FROM app.api_requests ORDER BY api_request_id',
    );
    let { rows } = await recorded();
    for (let i = 0; i < 100 && rows.length < 20; i++) {
      await new Promise((r) => setTimeout(r, 20));
      ({ rows } = await recorded());
    }
    assert.equal(rows.length, 20);
    assert.ok(!rows.some((r) => r.endpoint.endsWith('/validate')));
    assert.deepEqual(rows[0], { endpoint: '/api/platform/submit', caller_client: 'ddh-client/2.1', status: 400, body_sha256: rows[0]!.body_sha256 });
    assert.match(rows[0]!.body_sha256 ?? '', /^[0-9a-f]{64}$/);

    const queue = await t.app.inject({ method: 'GET', url: '/api/approvals' });
    assert.equal(queue.statusCode, 200);
    assert.deepEqual(queue.json(), { counts: { pending_review: 0, approved: 0, rejected: 0, revoked: 0 }, releases: [] });
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/approvals/history' })).json(), { entries: [] });
  } finally {
    await t.close();
  }
});

test('webhook endpoints: register (secret returned once), list, deliveries, deactivate', async () => {
  const t = await createTestApp();
  try {
    const created = await t.app.inject({ method: 'POST', url: '/api/platform/webhooks', payload: { url: 'http://127.0.0.1:9/hook', events: ['release.approved'] } });
    assert.equal(created.statusCode, 201, created.body);
    const endpoint = created.json();
    assert.match(endpoint.secret, /^[0-9a-f]{48}$/);
    assert.deepEqual(endpoint.events, ['release.approved']);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/platform/webhooks' })).json();
    assert.deepEqual(listed.endpoints.map((e: { endpoint_id: string; secret?: string }) => [e.endpoint_id, e.secret]), [[endpoint.endpoint_id, undefined]]);
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/platform/webhooks/deliveries' })).json(), { success: true, deliveries: [] });
    const bad = await t.app.inject({ method: 'POST', url: '/api/platform/webhooks', payload: { url: 'ftp://x', events: ['nope'] } });
    assert.deepEqual([bad.statusCode, bad.json().error_type], [400, 'ValidationError']);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/platform/webhooks/${endpoint.endpoint_id}` })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/platform/webhooks/${endpoint.endpoint_id}` })).json().error_type, 'NotFound');
  } finally {
    await t.close();
  }
});

test('modes: gateway exposes the platform API, public does not', async () => {
  const gateway = await createTestApp({ mode: 'gateway' });
  try {
    assert.equal((await gateway.app.inject({ method: 'GET', url: '/api/platform/health' })).statusCode, 200);
  } finally {
    await gateway.close();
  }
  const publicApp = await createTestApp({ mode: 'public' });
  try {
    assert.equal((await publicApp.app.inject({ method: 'GET', url: '/api/platform/health' })).statusCode, 404);
    assert.equal((await publicApp.app.inject({ method: 'POST', url: '/api/platform/submit', payload: base })).statusCode, 404);
  } finally {
    await publicApp.close();
  }
});

test('roles under OIDC: anonymous 401, reader 403 on writes, reviewer may approve; caller identity recorded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-jwks-'));
  const key = await signingKey('platform-key', 'ES256');
  const t = await createTestApp({ env: oidcEnv(await writeJwksFile(dir, [key])) });
  try {
    const as = async (roles: string[] | null, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({
      method, url, ...(payload ? { payload } : {}),
      headers: roles ? { authorization: `Bearer ${await token(key, { roles, azp: 'ddh-app-id', sub: `user-${roles.join('-')}` })}` } : {},
    });
    const anonymous = await as(null, 'POST', '/api/platform/submit', base);
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual([anonymous.json().success, anonymous.json().error_type], [false, 'Unauthorized']);
    const reader = await as(['reader'], 'POST', '/api/platform/submit', base);
    assert.deepEqual([reader.statusCode, reader.json().error_type], [403, 'Forbidden']);
    assert.equal((await as(['reader'], 'GET', `/api/platform/status/${'d'.repeat(32)}`)).statusCode, 404);
    assert.equal((await as(null, 'GET', `/api/platform/status/${'d'.repeat(32)}`)).statusCode, 401);
    const submitterApproves = await as(['submitter'], 'POST', '/api/platform/approve', { release_id: 'a'.repeat(32), reviewer: 'x', clearance_state: 'ouo' });
    assert.equal(submitterApproves.statusCode, 403);
    const reviewerApproves = await as(['reviewer'], 'POST', '/api/platform/approve', { release_id: 'a'.repeat(32), reviewer: 'x', clearance_state: 'ouo' });
    assert.equal(reviewerApproves.statusCode, 404, 'the reviewer passes the guard and finds nothing');
    assert.equal((await as(['submitter'], 'GET', '/api/approvals')).statusCode, 403);
    assert.equal((await as(['reviewer'], 'GET', '/api/approvals')).statusCode, 200);
    assert.equal((await as(['reviewer'], 'GET', '/api/platform/webhooks')).statusCode, 403);
    const forged = await t.app.inject({ method: 'GET', url: '/api/platform/health', headers: { authorization: `Bearer ${await token(await signingKey('platform-key', 'ES256'))}` } });
    assert.deepEqual([forged.statusCode, forged.json().error_type], [401, 'Unauthorized']);

    // Requests are recorded when their response has gone out, so the rows may land a moment later.
    const submits = () => t.runtime.db.query<{ caller_client: string | null; caller_subject: string | null; caller_roles: string[]; status: number }>(
      "SELECT caller_client, caller_subject, caller_roles, status FROM app.api_requests WHERE endpoint = '/api/platform/submit' ORDER BY status",
    );
    let { rows } = await submits();
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      ({ rows } = await submits());
    }
    assert.deepEqual(rows, [
      { caller_client: 'lightMyRequest', caller_subject: null, caller_roles: [], status: 401 },
      { caller_client: 'ddh-app-id', caller_subject: 'user-reader', caller_roles: ['reader'], status: 403 },
    ]);
  } finally {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
});
