import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPgTestDb, type TestDb } from '../testing/index.ts';
import { PgDb, migrate } from '../src/index.ts';
import { isMeridianError } from '@meridian/core';

describe('PostgreSQL adapter', () => {
  let t: TestDb;
  before(async () => {
    t = await createPgTestDb();
  });
  after(() => t.drop());

  it('applies migrations once when several processes migrate at the same time', async () => {
    const pools = await Promise.all([1, 2, 3, 4].map(() => PgDb.open(t.location, 2)));
    try {
      const results = await Promise.all(pools.map((db) => migrate(db)));
      assert.ok(results.every((r) => r.applied.length === 0));
    } finally {
      await Promise.all(pools.map((db) => db.close()));
    }
  });

  it('delivers NOTIFY to a listener', async () => {
    const received: string[] = [];
    const stop = await t.db.listen('meridian_test_channel', (payload) => received.push(payload));
    assert.ok(stop);
    await t.db.query("SELECT pg_notify('meridian_test_channel', 'hello')");
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    assert.deepEqual(received, ['hello']);
  });

  it('fails fast with DATABASE_UNAVAILABLE, password redacted, when the server is down', async () => {
    const started = Date.now();
    await assert.rejects(PgDb.open('postgres://meridian:s3cretpw@127.0.0.1:1/none', 1), (error: unknown) => {
      assert.ok(isMeridianError(error));
      assert.equal(error.code, 'DATABASE_UNAVAILABLE');
      assert.doesNotMatch(error.message, /s3cretpw/);
      return true;
    });
    assert.ok(Date.now() - started < 6000);
  });
});
