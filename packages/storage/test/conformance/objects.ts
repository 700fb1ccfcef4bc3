import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { generated, rejectsWith, stalled, type Conformance } from './support.ts';

/** Writing and reading whole blobs, and the promise that failed writes leave nothing. */
export function objectTests(suite: Conformance): void {
  describe('put and get', () => {
    it('round-trips a string, with the same info from put, head and get', async () => {
      const ref = { container: suite.fresh(), key: 'hello.txt' };
      const put = await suite.store.put(ref, 'hello, world', { contentType: 'text/plain' });
      assert.equal(put.container, ref.container);
      assert.equal(put.key, ref.key);
      assert.equal(put.size, 12);
      assert.equal(put.contentType, 'text/plain');
      assert.ok(put.lastModified instanceof Date && !Number.isNaN(put.lastModified.getTime()));
      assert.match(put.etag, /^[^"]+$/, 'ETags are bare; the HTTP layer adds the quotes');
      assert.deepEqual(await suite.store.head(ref), put);
      const got = await suite.store.get(ref);
      assert.deepEqual(got.info, put);
      assert.equal(got.range, undefined);
      assert.equal(await text(got.body), 'hello, world');
    });

    it('round-trips a Buffer holding every byte value', async () => {
      const ref = { container: suite.fresh(), key: 'bytes.bin' };
      const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
      await suite.store.put(ref, bytes, { contentType: 'image/tiff' });
      const got = await suite.store.get(ref);
      assert.deepEqual(await buffer(got.body), bytes);
      assert.equal(got.info.contentType, 'image/tiff');
    });

    it('reports the version (size and ETag) head reports, a new one after a rewrite, null when missing', async () => {
      const ref = { container: suite.fresh(), key: 'versioned.bin' };
      assert.equal(await suite.store.version(ref), null);
      const first = await suite.store.put(ref, 'first', { contentType: 'text/plain' });
      assert.deepEqual(await suite.store.version(ref), { size: first.size, etag: first.etag });
      const second = await suite.store.put(ref, 'second content');
      const version = await suite.store.version(ref);
      assert.deepEqual(version, { size: 14, etag: second.etag });
      assert.notEqual(version?.etag, first.etag);
      await suite.store.delete(ref);
      assert.equal(await suite.store.version(ref), null);
    });

    it('defaults the content type to application/octet-stream', async () => {
      const ref = { container: suite.fresh(), key: 'untyped' };
      assert.equal((await suite.store.put(ref, 'x')).contentType, 'application/octet-stream');
      assert.equal((await suite.store.head(ref))?.contentType, 'application/octet-stream');
    });

    it('streams a 5 MB body in and out intact', async () => {
      const ref = { container: suite.fresh(), key: 'big/stream.bin' };
      const size = 5 * 1024 * 1024;
      const expected = createHash('sha256');
      const info = await suite.store.put(ref, generated(size, (chunk) => expected.update(chunk)));
      assert.equal(info.size, size);
      const got = await suite.store.get(ref);
      assert.equal(got.info.size, size);
      const actual = createHash('sha256');
      for await (const chunk of got.body) actual.update(chunk as Buffer);
      assert.equal(actual.digest('hex'), expected.digest('hex'));
    });

    it('stores an empty blob', async () => {
      const ref = { container: suite.fresh(), key: 'empty' };
      assert.equal((await suite.store.put(ref, Readable.from([]))).size, 0);
      assert.equal((await suite.store.head(ref))?.size, 0);
      assert.equal((await buffer((await suite.store.get(ref)).body)).length, 0);
    });

    it('overwrites: the new content, size, type and ETag replace the old', async () => {
      const ref = { container: suite.fresh(), key: 'doc' };
      const first = await suite.store.put(ref, 'aaaa', { contentType: 'text/plain' });
      const second = await suite.store.put(ref, 'bbbb');
      assert.notEqual(second.etag, first.etag, 'same size, written at once, still a new ETag');
      const third = await suite.store.put(ref, 'version three', { contentType: 'application/json' });
      assert.equal(await text((await suite.store.get(ref)).body), 'version three');
      assert.deepEqual(await suite.store.head(ref), third);
      assert.equal(second.contentType, 'application/octet-stream');
      assert.deepEqual((await suite.store.list(ref.container)).items.map((item) => item.key), ['doc']);
    });

    it('reports a missing blob: head gives null, get and readRange BLOB_NOT_FOUND', async () => {
      const container = suite.fresh();
      const neverWritten = { container: suite.fresh(), key: 'x' };
      await suite.store.put({ container, key: 'present' }, 'x');
      const missing = { container, key: 'absent' };
      assert.equal(await suite.store.head(missing), null);
      assert.equal(await suite.store.head(neverWritten), null);
      await rejectsWith(suite.store.get(missing), 'BLOB_NOT_FOUND');
      await rejectsWith(suite.store.get(neverWritten), 'BLOB_NOT_FOUND');
      await rejectsWith(suite.store.get(missing, { start: 0, end: 1 }), 'BLOB_NOT_FOUND');
      await rejectsWith(suite.store.readRange(missing, 0, 10), 'BLOB_NOT_FOUND');
    });
  });
  describe('failed puts leave nothing behind', () => {
    it('refuses a stream over maxBytes with PAYLOAD_TOO_LARGE', async () => {
      const ref = { container: suite.fresh(), key: 'too-big.bin' };
      const error = await rejectsWith(suite.store.put(ref, generated(3 * 1024 * 1024), { maxBytes: 1024 * 1024 }), 'PAYLOAD_TOO_LARGE');
      assert.equal(error.extra.max_bytes, 1024 * 1024);
      assert.equal(await suite.store.head(ref), null);
      assert.deepEqual((await suite.store.list(ref.container)).items, []);
    });

    it('refuses a Buffer or string over maxBytes and accepts one exactly at it', async () => {
      const ref = { container: suite.fresh(), key: 'limit' };
      await rejectsWith(suite.store.put(ref, Buffer.alloc(11), { maxBytes: 10 }), 'PAYLOAD_TOO_LARGE');
      await rejectsWith(suite.store.put(ref, 'x'.repeat(11), { maxBytes: 10 }), 'PAYLOAD_TOO_LARGE');
      assert.equal(await suite.store.head(ref), null);
      assert.equal((await suite.store.put(ref, generated(10), { maxBytes: 10 })).size, 10);
      assert.equal((await suite.store.put(ref, 'y'.repeat(10), { maxBytes: 10 })).size, 10);
    });

    it('keeps the previous blob when an oversized overwrite fails', async () => {
      const ref = { container: suite.fresh(), key: 'keep' };
      const original = await suite.store.put(ref, 'original');
      await rejectsWith(suite.store.put(ref, generated(64 * 1024), { maxBytes: 1000 }), 'PAYLOAD_TOO_LARGE');
      assert.deepEqual(await suite.store.head(ref), original);
      assert.equal(await text((await suite.store.get(ref)).body), 'original');
    });

    it('leaves nothing when the body stream fails midway', async () => {
      const ref = { container: suite.fresh(), key: 'broken' };
      const failing = stalled(5 * 1024 * 1024, new Error('client went away'));
      await assert.rejects(suite.store.put(ref, failing), /client went away/);
      assert.equal(await suite.store.head(ref), null);
      assert.deepEqual(await suite.store.list(ref.container), { items: [], prefixes: [], nextToken: null });
    });

    it('leaves nothing when the put is aborted', { timeout: 10_000 }, async () => {
      const ref = { container: suite.fresh(), key: 'aborted' };
      const controller = new AbortController();
      const pending = suite.store.put(ref, stalled(5 * 1024 * 1024), { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(pending, { name: 'AbortError' });
      assert.equal(await suite.store.head(ref), null);
      assert.deepEqual(await suite.store.list(ref.container), { items: [], prefixes: [], nextToken: null });
      await assert.rejects(suite.store.put(ref, 'x', { signal: controller.signal }), { name: 'AbortError' });
    });
  });
}
