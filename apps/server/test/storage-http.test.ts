import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isMeridianError } from '@meridian/core';
import { AzureBlobStore } from '@meridian/storage';
import { startAzurite, type Azurite } from '@meridian/storage/testing';
import { UPLOAD_STAGING_CONTAINER, UploadSessions } from '../src/http/upload-sessions.ts';
import { createTestApp, type TestApp } from './support.ts';

describe('storage over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MERIDIAN_MAX_UPLOAD_BYTES: '100000' } });
  });
  after(() => t.close());

  it('uploads, lists, downloads, reads heads and deletes', async () => {
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [] });
    const put = await t.app.inject({ method: 'PUT', url: '/api/storage/bronze-uploads/dir/roads.geojson', payload: geojson, headers: { 'content-type': 'application/json' } });
    assert.equal(put.statusCode, 201);
    assert.equal(put.json().size, geojson.length);
    assert.equal(put.json().key, 'dir/roads.geojson');

    const list = await t.app.inject('/api/storage/bronze-uploads?prefix=dir/');
    assert.deepEqual(list.json().items.map((i: { key: string }) => i.key), ['dir/roads.geojson']);

    const get = await t.app.inject('/api/storage/bronze-uploads/dir/roads.geojson');
    assert.equal(get.statusCode, 200);
    assert.equal(get.body, geojson);
    assert.ok(get.headers.etag);

    const cached = await t.app.inject({ url: '/api/storage/bronze-uploads/dir/roads.geojson', headers: { 'if-none-match': get.headers.etag as string } });
    assert.equal(cached.statusCode, 304);

    const head = await t.app.inject({ method: 'HEAD', url: '/api/storage/bronze-uploads/dir/roads.geojson' });
    assert.equal(head.statusCode, 200);
    assert.equal(Number(head.headers['content-length']), geojson.length);

    const del = await t.app.inject({ method: 'DELETE', url: '/api/storage/bronze-uploads/dir/roads.geojson' });
    assert.equal(del.statusCode, 204);
    assert.equal((await t.app.inject('/api/storage/bronze-uploads/dir/roads.geojson')).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/storage/bronze-uploads/dir/roads.geojson' })).json().code, 'BLOB_NOT_FOUND');
  });

  it('honours Range requests', async () => {
    await t.app.inject({ method: 'PUT', url: '/api/storage/bronze-uploads/digits.txt', payload: '0123456789' });
    const middle = await t.app.inject({ url: '/api/storage/bronze-uploads/digits.txt', headers: { range: 'bytes=2-5' } });
    assert.equal(middle.statusCode, 206);
    assert.equal(middle.body, '2345');
    assert.equal(middle.headers['content-range'], 'bytes 2-5/10');
    const open = await t.app.inject({ url: '/api/storage/bronze-uploads/digits.txt', headers: { range: 'bytes=7-' } });
    assert.equal(open.body, '789');
    const suffix = await t.app.inject({ url: '/api/storage/bronze-uploads/digits.txt', headers: { range: 'bytes=-2' } });
    assert.equal(suffix.body, '89');
    const outside = await t.app.inject({ url: '/api/storage/bronze-uploads/digits.txt', headers: { range: 'bytes=50-60' } });
    assert.equal(outside.statusCode, 416);
    assert.equal(outside.headers['content-range'], 'bytes */10');
  });

  it('refuses uploads over the size limit and leaves nothing behind', async () => {
    const big = Buffer.alloc(150_000, 1);
    const response = await t.app.inject({ method: 'PUT', url: '/api/storage/bronze-uploads/big.bin', payload: big, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().code, 'PAYLOAD_TOO_LARGE');
    assert.equal((await t.app.inject('/api/storage/bronze-uploads/big.bin')).statusCode, 404);
    const files = await readdir(join(t.home, 'storage', 'bronze-uploads'), { recursive: true });
    assert.ok(!files.some((f) => String(f).includes('big')), `left behind: ${files.join(', ')}`);
  });

  it('rejects path traversal and malformed names with 400', async () => {
    const attempts = [
      '/api/storage/bronze-uploads/..%2F..%2Fetc%2Fpasswd',
      '/api/storage/bronze-uploads/a/%2E%2E/%2E%2E/b',
      '/api/storage/bronze-uploads/a%5Cb',
      '/api/storage/bronze-uploads/a%00b',
      '/api/storage/bronze-uploads/a//b',
      '/api/storage/Bronze-Uploads/a',
      '/api/storage/etc/passwd',
      `/api/storage/bronze-uploads/${'k'.repeat(1100)}`,
    ];
    for (const url of attempts) {
      // A client may normalize dot segments before sending; the route then sees another (invalid or
      // unknown) path. Either way the answer is a 4xx catalog error and nothing is read or written.
      const get = await t.app.inject(url);
      assert.ok([400, 404].includes(get.statusCode), `${url} → ${get.statusCode} ${get.body}`);
      assert.match(get.json().code, /INVALID_(BLOB_KEY|CONTAINER_NAME)|NOT_FOUND/);
      const put = await t.app.inject({ method: 'PUT', url, payload: 'x' });
      assert.ok([400, 404].includes(put.statusCode), `PUT ${url} → ${put.statusCode}`);
    }
    const written = await readdir(join(t.home, 'storage'), { recursive: true });
    assert.ok(!written.some((f) => /passwd|(^|\/)b$/.test(String(f))), `written: ${written.join(', ')}`);
  });

  it('pages through a listing with tokens', async () => {
    for (let i = 0; i < 12; i++) await t.app.inject({ method: 'PUT', url: `/api/storage/bronze-paging/f${String(i).padStart(2, '0')}.txt`, payload: `${i}` });
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const url: string = `/api/storage/bronze-paging?limit=5${token ? `&token=${encodeURIComponent(token)}` : ''}`;
      const page = (await t.app.inject(url)).json();
      seen.push(...page.items.map((i: { key: string }) => i.key));
      token = page.next_token;
    } while (token);
    assert.equal(seen.length, 12);
    assert.equal(new Set(seen).size, 12);
    assert.equal((await t.app.inject('/api/storage/bronze-paging?limit=5000')).statusCode, 400);
  });
});

describe('chunked uploads over HTTP', () => {
  const MiB = 1024 * 1024;
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MERIDIAN_MAX_UPLOAD_BYTES: String(5 * MiB) } });
  });
  after(() => t.close());

  const start = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/storage/uploads', payload: body });
  const sendPart = (id: string, part: number, payload: Buffer) =>
    t.app.inject({ method: 'PUT', url: `/api/storage/uploads/${id}/parts/${part}`, payload, headers: { 'content-type': 'application/octet-stream' } });
  const staged = async () => (await t.runtime.store.list(UPLOAD_STAGING_CONTAINER, { limit: 1000 })).items.map((i) => i.key);

  it('assembles parts sent in any order, retried and resumed, into one blob; then the session is gone', async () => {
    const file = Buffer.alloc(2.5 * MiB);
    for (let i = 0; i < file.length; i++) file[i] = (i * 31) % 251;
    const created = await start({ container: 'bronze-big', key: 'scenes/big.tif', size: file.length, part_size: MiB, content_type: 'image/tiff' });
    assert.equal(created.statusCode, 201, created.body);
    const session = created.json();
    assert.deepEqual([session.part_count, session.part_size, session.received], [3, MiB, []]);
    const id: string = session.upload_id;

    assert.equal((await sendPart(id, 2, file.subarray(2 * MiB))).statusCode, 200);
    assert.equal((await sendPart(id, 0, file.subarray(0, MiB))).statusCode, 200);
    const resumed = (await t.app.inject(`/api/storage/uploads/${id}`)).json();
    assert.deepEqual([resumed.received, resumed.received_bytes], [[0, 2], 1.5 * MiB]);

    const early = await t.app.inject({ method: 'POST', url: `/api/storage/uploads/${id}/complete` });
    assert.equal(early.statusCode, 409);
    assert.deepEqual([early.json().code, early.json().missing], ['UPLOAD_INCOMPLETE', [1]]);
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/api/storage/bronze-big/scenes/big.tif' })).statusCode, 404, 'no blob before completion');

    const short = await sendPart(id, 1, file.subarray(MiB, MiB + 10));
    assert.deepEqual([short.statusCode, short.json().code, short.json().expected_size], [400, 'UPLOAD_PART_INVALID', MiB]);
    const long = await sendPart(id, 2, file.subarray(MiB));
    assert.deepEqual([long.statusCode, long.json().code], [400, 'UPLOAD_PART_INVALID']);
    assert.equal((await sendPart(id, 3, file.subarray(0, 10))).json().code, 'UPLOAD_PART_INVALID');
    assert.equal((await t.app.inject(`/api/storage/uploads/${id}`)).json().received_bytes, 1.5 * MiB, 'refused parts left nothing');

    assert.equal((await sendPart(id, 1, file.subarray(MiB, 2 * MiB))).statusCode, 200);
    assert.equal((await sendPart(id, 0, file.subarray(0, MiB))).statusCode, 200, 'a part may be sent again');
    const done = await t.app.inject({ method: 'POST', url: `/api/storage/uploads/${id}/complete` });
    assert.equal(done.statusCode, 201, done.body);
    assert.deepEqual([done.json().key, done.json().size, done.json().content_type], ['scenes/big.tif', file.length, 'image/tiff']);
    const blob = await t.app.inject('/api/storage/bronze-big/scenes/big.tif');
    assert.ok(blob.rawPayload.equals(file), 'the blob holds the parts in order');

    assert.equal((await t.app.inject(`/api/storage/uploads/${id}`)).json().code, 'UPLOAD_NOT_FOUND');
    assert.deepEqual(await staged(), [], 'parts and manifest removed');
    assert.ok(!(await t.app.inject('/api/storage')).json().containers.includes(UPLOAD_STAGING_CONTAINER), 'the staging container is not listed');
  });

  it('validates names, sizes and part sizes up front', async () => {
    const refused = async (body: Record<string, unknown>, status: number, code: string) => {
      const response = await start({ container: 'bronze-big', key: 'a.bin', size: MiB, ...body });
      assert.deepEqual([response.statusCode, response.json().code], [status, code], JSON.stringify(body));
    };
    await refused({ size: 6 * MiB }, 413, 'PAYLOAD_TOO_LARGE');
    await refused({ key: 'a/../b' }, 400, 'INVALID_BLOB_KEY');
    await refused({ container: 'uploads' }, 400, 'INVALID_CONTAINER_NAME');
    await refused({ container: UPLOAD_STAGING_CONTAINER }, 400, 'INVALID_CONTAINER_NAME');
    await refused({ part_size: 1000 }, 400, 'VALIDATION_ERROR');
    await refused({ size: 0 }, 400, 'VALIDATION_ERROR');
    assert.equal((await t.app.inject('/api/storage/uploads/not-an-id')).json().code, 'UPLOAD_NOT_FOUND');
    // Nobody reaches the parts through the ordinary blob routes.
    assert.equal((await t.app.inject(`/api/storage/${UPLOAD_STAGING_CONTAINER}`)).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'PUT', url: `/api/storage/${UPLOAD_STAGING_CONTAINER}/sessions/x.json`, payload: '{}' })).statusCode, 404);
    assert.deepEqual(await staged(), []);
  });

  it('an aborted or expired upload leaves no blob and no parts', async () => {
    const aborted = (await start({ container: 'bronze-big', key: 'gone.bin', size: 2 * MiB, part_size: MiB })).json();
    assert.equal((await sendPart(aborted.upload_id, 0, Buffer.alloc(MiB))).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/storage/uploads/${aborted.upload_id}` })).statusCode, 204);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/storage/uploads/${aborted.upload_id}` })).statusCode, 404);
    assert.equal((await sendPart(aborted.upload_id, 1, Buffer.alloc(MiB))).json().code, 'UPLOAD_NOT_FOUND');

    const abandoned = (await start({ container: 'bronze-big', key: 'left.bin', size: 2 * MiB, part_size: MiB })).json();
    assert.equal((await sendPart(abandoned.upload_id, 1, Buffer.alloc(MiB))).statusCode, 200);
    const sessions = new UploadSessions(t.runtime.store, { maxUploadBytes: 5 * MiB, ttlSeconds: 60 });
    assert.equal(await sessions.sweep(new Date()), 0, 'a fresh session is kept');
    assert.equal(await sessions.sweep(new Date(Date.now() + 61_000)), 1);
    assert.deepEqual(await staged(), []);
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/api/storage/bronze-big/left.bin' })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'HEAD', url: '/api/storage/bronze-big/gone.bin' })).statusCode, 404);
  });
});

describe('chunked uploads on Azure Blob (Azurite)', () => {
  const MiB = 1024 * 1024;
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(() => azurite.stop());

  it('assembles, aborts and leaves no parts, with the same code as on file storage', async () => {
    const store = new AzureBlobStore(azurite);
    const sessions = new UploadSessions(store, { maxUploadBytes: 10 * MiB, ttlSeconds: 3600 });
    const file = Buffer.alloc(2 * MiB + 5, 9);
    file.write('head', 0);
    file.write('tail', file.length - 4);
    const session = await sessions.create({ container: 'bronze-azure', key: 'a/b.bin', size: file.length, partSize: MiB });
    for (const part of [2, 0, 1]) {
      await sessions.putPart(session.upload_id, part, Readable.from([file.subarray(part * MiB, Math.min((part + 1) * MiB, file.length))]), null);
    }
    const info = await sessions.complete(session.upload_id);
    assert.equal(info.size, file.length);
    assert.ok((await store.readRange({ container: 'bronze-azure', key: 'a/b.bin' }, 0, file.length)).equals(file));

    const dropped = await sessions.create({ container: 'bronze-azure', key: 'dropped.bin', size: 2 * MiB, partSize: MiB });
    await sessions.putPart(dropped.upload_id, 0, Readable.from([Buffer.alloc(MiB)]), null);
    await assert.rejects(sessions.complete(dropped.upload_id), (e: unknown) => isMeridianError(e) && e.code === 'UPLOAD_INCOMPLETE');
    assert.equal(await sessions.abort(dropped.upload_id), true);
    assert.equal(await store.head({ container: 'bronze-azure', key: 'dropped.bin' }), null);
    assert.deepEqual((await store.list(UPLOAD_STAGING_CONTAINER)).items, []);
  });
});
