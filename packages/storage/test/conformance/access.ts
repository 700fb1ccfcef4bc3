import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { rejectsWith, type Conformance } from './support.ts';

/** Signed URLs and the readiness check. */
export function accessTests(suite: Conformance): void {
  describe('signed URLs and health', () => {
    it('check() resolves on a working store', async () => {
      await suite.store.check();
    });

    it('signs read and write URLs that work, or returns null where the store cannot', async () => {
      const ref = { container: suite.fresh(), key: 'signed/file.txt' };
      await suite.store.put(ref, 'signed content', { contentType: 'text/plain' });
      const readUrl = await suite.store.signedUrl(ref, { expiresInSeconds: 60, permission: 'r' });
      if (readUrl === null) {
        assert.equal(suite.store.kind, 'file');
        return;
      }
      const read = await fetch(readUrl);
      assert.equal(read.status, 200);
      assert.equal(await read.text(), 'signed content');
      const uploadRef = { container: suite.fresh(), key: 'uploaded via url.txt' };
      const writeUrl = await suite.store.signedUrl(uploadRef, { expiresInSeconds: 60, permission: 'w' });
      assert.ok(writeUrl !== null);
      const write = await fetch(writeUrl, { method: 'PUT', body: 'from the client', headers: { 'x-ms-blob-type': 'BlockBlob' } });
      assert.equal(write.status, 201);
      assert.equal(await text((await suite.store.get(uploadRef)).body), 'from the client');
    });

    it('refuses signed-URL options out of range', async () => {
      const ref = { container: suite.fresh(), key: 'k' };
      await rejectsWith(suite.store.signedUrl(ref, { expiresInSeconds: 0, permission: 'r' }), 'VALIDATION_ERROR');
    });
  });
}
