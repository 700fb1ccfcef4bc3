import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPgTestDb, type TestDb } from '../testing/index.ts';
import { PgDb, isDbError, migrate } from '../src/index.ts';
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

  it('runs its sessions without JIT compilation', async () => {
    assert.deepEqual((await t.db.query('SHOW jit')).rows, [{ jit: 'off' }]);
    assert.deepEqual((await t.db.transaction((tx) => tx.query('SHOW jit'))).rows, [{ jit: 'off' }]);
  });

  it('runs a prepared statement like an unprepared one, and keeps a bounded number per connection', async () => {
    const db = await PgDb.open(t.location, 1);
    try {
      const sql = 'SELECT $1::int + n AS v FROM generate_series(1, 3) AS n ORDER BY n';
      const plain = await db.query<{ v: number }>(sql, [10]);
      for (const base of [10, 20]) {
        const prepared = await db.query<{ v: number }>(sql, [base], { prepare: true });
        assert.deepEqual(prepared.rows.map((r) => r.v), [base + 1, base + 2, base + 3]);
        assert.equal(prepared.rowCount, plain.rowCount);
      }
      await assert.rejects(db.query('SELECT 1 / $1::int AS v', [0], { prepare: true }), (e: unknown) => isDbError(e, '22012'));
      assert.deepEqual((await db.query<{ v: number }>('SELECT 1 / $1::int AS v', [1], { prepare: true })).rows, [{ v: 1 }], 'usable after an error');
      // 150 distinct texts on the one connection: all answer, at most 100 stay prepared.
      for (let i = 0; i < 150; i++) assert.equal((await db.query<{ v: number }>(`SELECT $1::int + ${i} AS v`, [1], { prepare: true })).rows[0]!.v, i + 1);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'meridian\\_%'");
      assert.ok(rows[0]!.n >= 50 && rows[0]!.n <= 100, `${rows[0]!.n} prepared`);
    } finally {
      await db.close();
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
