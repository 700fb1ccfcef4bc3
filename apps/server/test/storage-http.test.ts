import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
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
