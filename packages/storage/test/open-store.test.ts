import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openBlobStore } from '../src/index.ts';

describe('openBlobStore', () => {
  it('opens a file store without touching the disk until first use', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'meridian-open-store-'));
    try {
      const root = join(scratch, 'storage');
      const store = openBlobStore({ kind: 'file', root });
      assert.equal(store.kind, 'file');
      assert.equal(existsSync(root), false);
      await store.check();
      assert.equal(existsSync(root), true);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('opens an Azure store from the service URL and shared key', () => {
    const store = openBlobStore({ kind: 'azure', serviceUrl: 'http://127.0.0.1:1/devstoreaccount1', account: 'devstoreaccount1', accountKey: 'a2V5' });
    assert.equal(store.kind, 'azure');
    assert.equal(store.localPath, undefined);
  });
});
