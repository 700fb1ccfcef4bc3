/**
 * What putFile does on file storage beyond the conformance suite: a move within one filesystem takes the
 * file itself (no byte copied), a move across filesystems copies, and only regular files are taken.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { MeridianError } from '@meridian/core';
import { FileBlobStore } from '../src/index.ts';

/** tmpfs: another filesystem than the temp dir's on most machines (the cross-filesystem test needs one). */
const OTHER_FILESYSTEM = '/dev/shm';

describe('FileBlobStore.putFile', () => {
  let scratch: string;
  let store: FileBlobStore;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'meridian-put-file-'));
    store = new FileBlobStore(join(scratch, 'storage'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('a move within one filesystem takes the file itself, and leaves nothing in the temp area', async () => {
    const source = join(scratch, 'output.tif');
    await writeFile(source, 'converted bytes');
    const inode = (await stat(source)).ino;
    const ref = { container: 'silver-x', key: 'item/output.tif' };
    const info = await store.putFile(ref, source, { move: true, contentType: 'image/tiff' });
    assert.equal(existsSync(source), false);
    const blob = store.localPath(ref);
    assert.equal((await stat(blob)).ino, inode, 'the same file, not a copy');
    assert.equal(await readFile(blob, 'utf8'), 'converted bytes');
    assert.deepEqual(await store.head(ref), info);
    assert.ok(Date.now() - info.lastModified.getTime() < 60_000, 'the blob is dated when it was put');
    assert.deepEqual(await readdir(join(scratch, 'storage', '.meridian-tmp')), []);
  });

  it('a copy leaves the file where it is, as a separate file', async () => {
    const source = join(scratch, 'kept.txt');
    await writeFile(source, 'kept');
    const ref = { container: 'silver-x', key: 'kept.txt' };
    await store.putFile(ref, source);
    assert.notEqual((await stat(store.localPath(ref))).ino, (await stat(source)).ino);
    await writeFile(source, 'edited afterwards');
    assert.equal(await text((await store.get(ref)).body), 'kept');
  });

  it('a move across filesystems copies the file, then removes it', async (t) => {
    const other = await mkdtemp(join(OTHER_FILESYSTEM, 'meridian-put-file-')).catch(() => null);
    if (other === null || (await stat(other)).dev === (await stat(scratch)).dev) {
      t.skip(`${OTHER_FILESYSTEM} is not another filesystem here`);
      return;
    }
    try {
      const source = join(other, 'elsewhere.bin');
      await writeFile(source, 'from another filesystem');
      const ref = { container: 'silver-x', key: 'elsewhere.bin' };
      await store.putFile(ref, source, { move: true });
      assert.equal(existsSync(source), false);
      assert.equal(await text((await store.get(ref)).body), 'from another filesystem');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a symbolic link (it would publish the link), keeping it and its target', async () => {
    const target = join(scratch, 'target.txt');
    const linkPath = join(scratch, 'link.txt');
    await writeFile(target, 'target');
    await symlink(target, linkPath);
    const ref = { container: 'silver-x', key: 'linked.txt' };
    await assert.rejects(store.putFile(ref, linkPath, { move: true }), (e) => e instanceof MeridianError && e.code === 'INTERNAL_ERROR');
    assert.equal(await store.head(ref), null);
    assert.equal(await readFile(linkPath, 'utf8'), 'target');
  });
});
