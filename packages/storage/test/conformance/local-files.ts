import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { pipeline } from 'node:stream/promises';
import { generated, rejectsWith, type Conformance } from './support.ts';

/** putFile: a local file in, copied or moved, with put's all-or-nothing promise and the source kept on failure. */
export function localFileTests(suite: Conformance): void {
  describe('putFile', () => {
    let dir: string;
    let n = 0;
    const localFile = async (content: string | Buffer): Promise<string> => {
      const path = join(dir, `file-${++n}`);
      await writeFile(path, content);
      return path;
    };
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'meridian-put-file-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('copies a file in by default, with the same info from putFile and head, and leaves the file alone', async () => {
      const ref = { container: suite.fresh(), key: 'copied/data.json' };
      const path = await localFile('{"copied":true}');
      const info = await suite.store.putFile(ref, path, { contentType: 'application/json' });
      assert.deepEqual([info.container, info.key, info.size, info.contentType], [ref.container, ref.key, 15, 'application/json']);
      assert.deepEqual(await suite.store.head(ref), info);
      assert.equal(await text((await suite.store.get(ref)).body), '{"copied":true}');
      assert.equal(await readFile(path, 'utf8'), '{"copied":true}');
    });

    it('moves a 5 MB file in intact and removes the file, replacing a blob already under the key', async () => {
      const ref = { container: suite.fresh(), key: 'moved/big.bin' };
      await suite.store.put(ref, 'the old version');
      const path = join(dir, 'big.bin');
      const expected = createHash('sha256');
      await pipeline(generated(5 * 1024 * 1024, (chunk) => expected.update(chunk)), createWriteStream(path));
      const info = await suite.store.putFile(ref, path, { move: true, contentType: 'image/tiff' });
      assert.equal(existsSync(path), false, 'a moved file is gone from its path');
      assert.equal(info.size, 5 * 1024 * 1024);
      assert.deepEqual(await suite.store.head(ref), info);
      const body = await buffer((await suite.store.get(ref)).body);
      assert.equal(createHash('sha256').update(body).digest('hex'), expected.digest('hex'));
      assert.equal((await suite.store.list(ref.container)).items.length, 1);
    });

    it('a failed or aborted putFile leaves no blob and keeps the file', async () => {
      const container = suite.fresh();
      const path = await localFile('keep me');
      await rejectsWith(suite.store.putFile({ container, key: 'bad//key' }, path, { move: true }), 'INVALID_BLOB_KEY');
      const aborted = new AbortController();
      aborted.abort(new Error('stop'));
      await assert.rejects(suite.store.putFile({ container, key: 'aborted' }, path, { move: true, signal: aborted.signal }), /stop/);
      await assert.rejects(suite.store.putFile({ container, key: 'missing' }, join(dir, 'no-such-file'), { move: true }));
      assert.equal(await readFile(path, 'utf8'), 'keep me');
      assert.equal(await suite.store.head({ container, key: 'aborted' }), null);
      assert.equal(await suite.store.head({ container, key: 'missing' }), null);
      assert.deepEqual((await suite.store.list(container)).items, []);
    });
  });
}
