/**
 * Only served data is visible through the raster API: an item awaiting approval (served = false) is a 404
 * for anonymous and signed-in readers, exactly like a missing item, and readable by a reviewer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oidcEnv, signingKey, token, writeJwksFile, type SigningKey } from './auth-keys.ts';
import { createRasterTestApp, itemPath, type RasterTestApp } from './raster-support.ts';

let t: RasterTestApp;
let key: SigningKey;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meridian-raster-jwks-'));
  key = await signingKey('raster-key');
  t = await createRasterTestApp({ env: oidcEnv(await writeJwksFile(dir, [key])), classification: { accessLevel: 'ouo', served: false } });
});
after(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

test('unserved raster items are 404 except for reviewers, whose responses are private', async () => {
  const url = `${itemPath('dem')}/info`;
  const as = async (roles?: string[]) =>
    t.app.inject({ method: 'GET', url, headers: roles ? { authorization: `Bearer ${await token(key, { roles })}` } : {} });
  const anonymous = await as();
  assert.equal(anonymous.statusCode, 404);
  assert.equal(anonymous.json().code, 'STAC_ITEM_NOT_FOUND');
  assert.equal((await as(['reader'])).statusCode, 404);
  const reviewer = await as(['reviewer']);
  assert.equal(reviewer.statusCode, 200);
  assert.match(reviewer.headers['cache-control'] as string, /^private/);
  assert.equal((await t.app.inject({ method: 'GET', url: `${itemPath('dem')}/point/14,45.9` })).statusCode, 404);
});
