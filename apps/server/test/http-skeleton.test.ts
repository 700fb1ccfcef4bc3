import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestApp, type TestApp } from './support.ts';

describe('HTTP skeleton', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('answers livez, readyz and health', async () => {
    const live = await t.app.inject('/api/livez');
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: 'ok' });
    const ready = await t.app.inject('/api/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
    const health = await t.app.inject('/api/health');
    assert.equal(health.statusCode, 200);
    const body = health.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.mode, 'full');
    assert.equal(body.database.ok, true);
    assert.equal(body.database.detail, 'postgres');
    assert.equal(body.storage.detail, 'file');
    assert.equal(typeof body.uptime_seconds, 'number');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
  });

  it('gives every response a request id, echoing a valid one from the caller', async () => {
    const generated = await t.app.inject('/api/livez');
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const echoed = await t.app.inject({ url: '/api/livez', headers: { 'x-request-id': 'trace-123' } });
    assert.equal(echoed.headers['x-request-id'], 'trace-123');
    const refused = await t.app.inject({ url: '/api/livez', headers: { 'x-request-id': 'bad id <script>' } });
    assert.notEqual(refused.headers['x-request-id'], 'bad id <script>');
  });

  it('answers unknown paths with a catalog error and no internals', async () => {
    const response = await t.app.inject('/api/nope');
    assert.equal(response.statusCode, 404);
    const body = response.json();
    assert.equal(body.code, 'NOT_FOUND');
    assert.ok(body.remedy);
    assert.equal(body.request_id, response.headers['x-request-id']);
    assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
  });

  it('publishes a valid OpenAPI 3 document generated from the route schemas, and a docs page', async () => {
    const response = await t.app.inject('/api/openapi.json');
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.match(document.openapi, /^3\./);
    assert.ok(document.paths['/api/readyz']);
    assert.ok(document.paths['/api/storage/{container}']);
    await SwaggerParser.validate(structuredClone(document));
    const docs = await t.app.inject('/api/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.headers['content-type'] as string, /html/);
  });

  it('reports 503 from readyz naming the failing check when storage cannot be written', async () => {
    const blocker = join(t.home, 'not-a-directory');
    await writeFile(blocker, 'x');
    const broken = await createTestApp({ env: { MERIDIAN_STORAGE_URL: `file://${blocker}/storage` } });
    try {
      const ready = await broken.app.inject('/api/readyz');
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json().failing, ['storage']);
      assert.equal((await broken.app.inject('/api/health')).json().status, 'degraded');
    } finally {
      await broken.close();
    }
  });

  it('reports 503 from readyz when the database is not migrated', async () => {
    await t.runtime.db.execScript('ALTER TABLE app.migrations RENAME TO migrations_away');
    try {
      const ready = await t.app.inject('/api/readyz');
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json().failing, ['database']);
    } finally {
      await t.runtime.db.execScript('ALTER TABLE app.migrations_away RENAME TO migrations');
    }
  });
});

describe('exposure modes', () => {
  it('gateway exposes health and docs but not storage', async () => {
    const t = await createTestApp({ mode: 'gateway' });
    try {
      assert.equal((await t.app.inject('/api/livez')).statusCode, 200);
      assert.equal((await t.app.inject('/api/storage')).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/storage/bronze-a/x.txt', payload: 'x' })).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  it('public exposes only reads, and only of the external zone', async () => {
    const t = await createTestApp({ mode: 'public' });
    try {
      await t.runtime.store.put({ container: 'external-open', key: 'a.txt' }, 'open data');
      await t.runtime.store.put({ container: 'bronze-private', key: 'a.txt' }, 'private');
      assert.equal((await t.app.inject('/api/storage/external-open/a.txt')).body, 'open data');
      assert.equal((await t.app.inject('/api/storage/bronze-private/a.txt')).statusCode, 404);
      assert.deepEqual((await t.app.inject('/api/storage')).json().containers, ['external-open']);
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/storage/external-open/b.txt', payload: 'x' })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/storage/external-open/a.txt' })).statusCode, 404);
    } finally {
      await t.close();
    }
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const t = await createTestApp({ env: { MERIDIAN_CORS_ORIGINS: 'https://viewer.example.org' } });
    try {
      const allowed = await t.app.inject({ url: '/api/livez', headers: { origin: 'https://viewer.example.org' } });
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://viewer.example.org');
      const other = await t.app.inject({ url: '/api/livez', headers: { origin: 'https://evil.example.com' } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    } finally {
      await t.close();
    }
  });

  it('sends no CORS headers when none are configured', async () => {
    const t = await createTestApp();
    try {
      const response = await t.app.inject({ url: '/api/livez', headers: { origin: 'https://viewer.example.org' } });
      assert.equal(response.headers['access-control-allow-origin'], undefined);
    } finally {
      await t.close();
    }
  });
});
