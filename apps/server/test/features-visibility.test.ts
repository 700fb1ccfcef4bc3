import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVectorFixtures } from '@meridian/catalog/testing';
import { setTableServed, upsertVectorTable } from '@meridian/catalog';
import { PgDb } from '@meridian/db';
import { oidcEnv, signingKey, token, writeJwksFile, type SigningKey } from './auth-keys.ts';
import { createTestApp, type TestApp } from './support.ts';

/** Who sees which vector collection, on the items, collection and tile surfaces (404, never 403). */
describe('OGC API Features visibility by caller (MERIDIAN_AUTH=oidc)', () => {
  let t: TestApp;
  let key: SigningKey;
  let dir: string;
  const headers = async (roles: string[] | null): Promise<Record<string, string>> =>
    roles === null ? {} : { authorization: `Bearer ${await token(key, { roles })}` };

  before(async () => {
    key = await signingKey('visibility');
    dir = await mkdtemp(join(tmpdir(), 'meridian-features-oidc-'));
    t = await createTestApp({ env: oidcEnv(await writeJwksFile(dir, [key])) });
    await createVectorFixtures(t.runtime.db);
    await setTableServed(t.runtime.db, 'places', true, 'public');
    await setTableServed(t.runtime.db, 'zones', true, 'ouo');
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: { who: string; roles: string[] | null; sees: string[] }[] = [
    { who: 'anonymous', roles: null, sees: ['places'] },
    { who: 'reader', roles: ['reader'], sees: ['places', 'zones'] },
    { who: 'submitter', roles: ['submitter'], sees: ['places', 'zones'] },
    { who: 'reviewer', roles: ['reviewer'], sees: ['places', 'secret_places', 'zones'] },
  ];

  for (const { who, roles, sees } of cases) {
    it(`${who} sees ${sees.join(', ')}`, async () => {
      const h = await headers(roles);
      const list = (await t.app.inject({ url: '/api/features/collections', headers: h })).json();
      assert.deepEqual(list.collections.map((c: { id: string }) => c.id).sort(), sees);
      for (const id of ['places', 'zones', 'secret_places']) {
        const expected = sees.includes(id) ? 200 : 404;
        for (const path of [`/api/features/collections/${id}`, `/api/features/collections/${id}/items?limit=1`, `/api/features/collections/${id}/tiles/WebMercatorQuad`]) {
          const response = await t.app.inject({ url: path, headers: h });
          assert.equal(response.statusCode, expected, `${who} ${path}`);
        }
        const tile = await t.app.inject({ url: `/api/features/collections/${id}/tiles/WebMercatorQuad/0/0/0.pbf`, headers: h });
        assert.equal(tile.statusCode === 404 ? 404 : 200, expected, `${who} tile of ${id}`);
      }
    });
  }

  it('lets shared caches keep only served public tiles', async () => {
    const reviewer = await headers(['reviewer']);
    const publicTile = await t.app.inject({ url: '/api/features/collections/places/tiles/WebMercatorQuad/0/0/0.pbf', headers: reviewer });
    assert.match(String(publicTile.headers['cache-control']), /^public/);
    for (const id of ['zones', 'secret_places']) {
      const tile = await t.app.inject({ url: `/api/features/collections/${id}/tiles/WebMercatorQuad/0/0/0.pbf`, headers: reviewer });
      assert.match(String(tile.headers['cache-control']), /^private/, id);
    }
  });

  it('follows approvals, revocations and reloads made by another process at once (no stale cached collection)', async () => {
    // Another process: its own connection pool, so nothing in this app's process hears of the change.
    const other = await PgDb.open(t.testDb.location, 1);
    const items = '/api/features/collections/places/items?limit=2';
    const tile = '/api/features/collections/places/tiles/WebMercatorQuad/0/0/0.pbf';
    const statuses = async (h: Record<string, string>) => [
      (await t.app.inject({ url: items, headers: h })).statusCode,
      (await t.app.inject({ url: tile, headers: h })).statusCode,
    ];
    try {
      const anonymous = await headers(null);
      const reader = await headers(['reader']);
      assert.deepEqual(await statuses(anonymous), [200, 200], 'served and public: the collection is now cached');
      const etag = String((await t.app.inject({ url: tile, headers: anonymous })).headers.etag);
      assert.equal((await t.app.inject({ url: tile, headers: { ...anonymous, 'if-none-match': etag } })).statusCode, 304);

      await setTableServed(other, 'places', false, 'public');
      assert.deepEqual(await statuses(anonymous), [404, 404], 'revoked');
      assert.deepEqual(await statuses(reader), [404, 404], 'revoked, for a reader too');
      assert.equal((await t.app.inject({ url: tile, headers: { ...anonymous, 'if-none-match': etag } })).statusCode, 404, 'no 304 for a revoked tile');
      const unknownParameter = await t.app.inject({ url: `${items}&nope=1`, headers: anonymous });
      assert.equal(unknownParameter.statusCode, 404, 'a bad parameter does not reveal the revoked collection');

      await setTableServed(other, 'places', true, 'ouo');
      assert.deepEqual(await statuses(anonymous), [404, 404], 'approved as ouo: not for anonymous callers');
      assert.deepEqual(await statuses(reader), [200, 200], 'approved as ouo: readers see it');

      await setTableServed(other, 'places', true, 'public');
      assert.deepEqual(await statuses(anonymous), [200, 200], 'public again');
      await upsertVectorTable(other, { tableName: 'places', title: 'Places', geometryType: 'Point', featureCount: 12, columns: [{ name: 'name', type: 'text' }] });
      const reloaded = (await t.app.inject({ url: items, headers: anonymous })).json();
      assert.deepEqual(Object.keys(reloaded.features[0].properties), ['name'], 'a reload publishes its own column list');
    } finally {
      await other.close();
    }
  });

  it('rejects a forged token instead of treating it as anonymous', async () => {
    const other = await signingKey('visibility');
    const forged = await token(other, { roles: ['reviewer'] });
    const response = await t.app.inject({ url: '/api/features/collections', headers: { authorization: `Bearer ${forged}` } });
    assert.equal(response.statusCode, 401);
  });
});
