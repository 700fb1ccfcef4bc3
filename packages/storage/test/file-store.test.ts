import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MeridianError, type ErrorCode } from '@meridian/core';
import { FileBlobStore } from '../src/index.ts';
import { blobStoreConformance } from './conformance.ts';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'meridian-file-store-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

blobStoreConformance('file', async () => new FileBlobStore(join(scratch, 'conformance')));

const rejectsWith = (promise: Promise<unknown>, code: ErrorCode) =>
  assert.rejects(promise, (error) => error instanceof MeridianError && error.code === code);

describe('FileBlobStore', () => {
  let root: string;
  let outside: string;
  let store: FileBlobStore;
  let n = 0;
  beforeEach(async () => {
    n++;
    root = join(scratch, `root-${n}`);
    outside = join(scratch, `outside-${n}`);
    await mkdir(join(outside, 'dir'), { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await writeFile(join(outside, 'dir', 'secret.txt'), 'secret');
    store = new FileBlobStore(root);
  });

  describe('never follows symbolic links out of the root', () => {
    it('treats a link to a file outside as absent', async () => {
      await store.put({ container: 'bronze-x', key: 'real' }, 'real');
      await symlink(join(outside, 'secret.txt'), join(root, 'bronze-x', 'link'));
      const link = { container: 'bronze-x', key: 'link' };
      assert.equal(await store.head(link), null);
      assert.equal(await store.version(link), null);
      await rejectsWith(store.get(link), 'BLOB_NOT_FOUND');
      await rejectsWith(store.readRange(link, 0, 3), 'BLOB_NOT_FOUND');
      await rejectsWith(store.copy(link, { container: 'bronze-x', key: 'stolen' }), 'BLOB_NOT_FOUND');
      assert.throws(() => store.localPath(link), (error) => error instanceof MeridianError && error.code === 'INVALID_BLOB_KEY');
      assert.deepEqual((await store.list('bronze-x')).items.map((item) => item.key), ['real']);
      assert.equal(await store.delete(link), false);
      assert.equal(await store.deletePrefix('bronze-x', 'li'), 0);
      // A put replaces the link itself; the file it pointed at is untouched.
      await store.put(link, 'mine');
      assert.equal(await readFile(join(outside, 'secret.txt'), 'utf8'), 'secret');
      assert.equal(await text((await store.get(link)).body), 'mine');
    });

    it('treats a linked folder as absent and refuses to write through it', async () => {
      await store.put({ container: 'bronze-x', key: 'real' }, 'real');
      await symlink(join(outside, 'dir'), join(root, 'bronze-x', 'dir'));
      const inLinkedFolder = { container: 'bronze-x', key: 'dir/secret.txt' };
      assert.equal(await store.head(inLinkedFolder), null);
      assert.equal(await store.version(inLinkedFolder), null);
      await rejectsWith(store.get(inLinkedFolder), 'BLOB_NOT_FOUND');
      await rejectsWith(store.put({ container: 'bronze-x', key: 'dir/new.txt' }, 'x'), 'INVALID_BLOB_KEY');
      assert.equal(existsSync(join(outside, 'dir', 'new.txt')), false);
      assert.equal(await store.delete(inLinkedFolder), false);
      assert.deepEqual(await store.list('bronze-x', { prefix: 'dir/' }), { items: [], prefixes: [], nextToken: null });
      assert.deepEqual((await store.list('bronze-x', { delimiter: '/' })).prefixes, []);
      assert.equal(await store.deletePrefix('bronze-x', 'dir/'), 0);
      assert.equal(await store.deletePrefix('bronze-x', ''), 1);
      assert.equal(await readFile(join(outside, 'dir', 'secret.txt'), 'utf8'), 'secret');
    });

    it('treats a linked container as absent', async () => {
      await mkdir(root, { recursive: true });
      await symlink(join(outside, 'dir'), join(root, 'bronze-evil'));
      const ref = { container: 'bronze-evil', key: 'secret.txt' };
      assert.equal(await store.head(ref), null);
      assert.deepEqual(await store.listContainers(), []);
      assert.deepEqual((await store.list('bronze-evil')).items, []);
      assert.equal(await store.deletePrefix('bronze-evil', ''), 0);
      await rejectsWith(store.put({ container: 'bronze-evil', key: 'new' }, 'x'), 'INVALID_BLOB_KEY');
      assert.deepEqual((await readdir(join(outside, 'dir'))).sort(), ['secret.txt']);
    });
  });

  it('keeps temp files and content-type sidecars out of listings and cleans up failed puts', async () => {
    await store.put({ container: 'bronze-x', key: 'typed.json' }, '{}', { contentType: 'application/json' });
    await rejectsWith(store.put({ container: 'bronze-x', key: 'big' }, Readable.from([Buffer.alloc(2048)]), { maxBytes: 1024 }), 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(await store.listContainers(), ['bronze-x']);
    assert.deepEqual((await store.list('bronze-x')).items.map((item) => item.key), ['typed.json']);
    assert.deepEqual(await readdir(join(root, '.meridian-tmp')), []);
    assert.deepEqual(await readdir(join(root, 'bronze-x')), ['typed.json']);
  });

  it('gives the path of a blob for tools that read files', async () => {
    const ref = { container: 'silver-x', key: 'cogs/a.tif' };
    await store.put(ref, 'tiff bytes');
    const path = store.localPath(ref);
    assert.ok(path.startsWith(root) && path.endsWith(join('silver-x', 'cogs', 'a.tif')));
    assert.equal(readFileSync(path, 'utf8'), 'tiff bytes');
  });

  it('refuses a key that is both a blob and a folder with BLOB_KEY_CONFLICT', async () => {
    await store.put({ container: 'bronze-x', key: 'a' }, 'file');
    await rejectsWith(store.put({ container: 'bronze-x', key: 'a/b' }, 'x'), 'BLOB_KEY_CONFLICT');
    await store.put({ container: 'bronze-x', key: 'c/d' }, 'x');
    await rejectsWith(store.put({ container: 'bronze-x', key: 'c' }, 'x'), 'BLOB_KEY_CONFLICT');
    assert.deepEqual((await store.list('bronze-x')).items.map((item) => item.key), ['a', 'c/d']);
  });

  it('refuses a key segment longer than the filesystem allows with INVALID_BLOB_KEY', async () => {
    await rejectsWith(store.put({ container: 'bronze-x', key: 'x'.repeat(300) }, 'x'), 'INVALID_BLOB_KEY');
  });

  it('removes folders that deletes leave empty, up to the container', async () => {
    await store.put({ container: 'bronze-x', key: 'a/b/c/one' }, '1');
    await store.put({ container: 'bronze-x', key: 'a/two' }, '2');
    await store.delete({ container: 'bronze-x', key: 'a/b/c/one' });
    assert.deepEqual(await readdir(join(root, 'bronze-x', 'a')), ['two']);
    await store.deletePrefix('bronze-x', 'a/');
    assert.deepEqual(await readdir(join(root, 'bronze-x')), []);
  });

  it('refuses a page token it did not issue', async () => {
    await rejectsWith(store.list('bronze-x', { token: 'not base64url!' }), 'VALIDATION_ERROR');
  });

  it('serves files put in place by other tools, skipping names that are not valid keys', async () => {
    await mkdir(join(root, 'bronze-x'), { recursive: true });
    await writeFile(join(root, 'bronze-x', 'dropped.bin'), 'dropped');
    await writeFile(join(root, 'bronze-x', 'back\\slash'), 'x');
    await mkdir(join(root, 'Not-A-Container'));
    assert.deepEqual((await store.list('bronze-x')).items.map((item) => item.key), ['dropped.bin']);
    assert.equal((await store.head({ container: 'bronze-x', key: 'dropped.bin' }))?.contentType, 'application/octet-stream');
    assert.deepEqual(await store.listContainers(), ['bronze-x']);
  });

  it('forgets the content type when the file is replaced behind its back', async () => {
    const ref = { container: 'bronze-x', key: 'doc.json' };
    await store.put(ref, '{}', { contentType: 'application/json' });
    await writeFile(join(root, 'bronze-x', 'doc.json'), '{"edited":true}');
    assert.equal((await store.head(ref))?.contentType, 'application/octet-stream');
  });

  it('check() reports a root that cannot be created as STORAGE_UNAVAILABLE', async () => {
    const blocked = new FileBlobStore(join(outside, 'secret.txt', 'storage'));
    await rejectsWith(blocked.check(), 'STORAGE_UNAVAILABLE');
    await rejectsWith(blocked.put({ container: 'bronze-x', key: 'k' }, 'x'), 'STORAGE_UNAVAILABLE');
  });
});
