import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, TEST_BACKENDS, type TestDb } from '../testing/index.ts';
import { DbError, isDbError } from '../src/index.ts';

for (const kind of TEST_BACKENDS) {
  describe(`Db on ${kind}`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
      await t.db.execScript('CREATE TABLE app.sample (id int8 PRIMARY KEY, name text, data jsonb, raw bytea, at timestamptz, amount numeric, tags text[], geom geometry(Point, 4326))');
    });
    after(async () => {
      await t.db.execScript('DROP TABLE IF EXISTS app.sample');
      await t.drop();
    });

    it('has PostGIS and the three schemas', async () => {
      const { rows } = await t.db.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname IN ('app','geo','catalog') ORDER BY 1");
      assert.deepEqual(rows.map((r) => r.nspname), ['app', 'catalog', 'geo']);
      const version = await t.db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
      assert.match(version.rows[0]!.v, /^3\./);
    });

    it('normalizes types the same way on both adapters', async () => {
      const { rows } = await t.db.query(
        "SELECT 9007199254740991::int8 AS big, 42::int4 AS small, '\\x00ff10'::bytea AS raw, '2024-01-02T03:04:05Z'::timestamptz AS at, 1.50::numeric AS amount, '{\"a\":[1,2]}'::jsonb AS data, ARRAY['x','y'] AS tags, true AS flag",
      );
      const row = rows[0]!;
      assert.equal(row.big, 9007199254740991);
      assert.equal(row.small, 42);
      assert.ok(Buffer.isBuffer(row.raw));
      assert.deepEqual([...(row.raw as Buffer)], [0, 255, 16]);
      assert.ok(row.at instanceof Date);
      assert.equal((row.at as Date).toISOString(), '2024-01-02T03:04:05.000Z');
      assert.equal(row.amount, '1.50');
      assert.deepEqual(row.data, { a: [1, 2] });
      assert.deepEqual(row.tags, ['x', 'y']);
      assert.equal(row.flag, true);
    });

    it('binds parameters, never interpolates them', async () => {
      const evil = "x'); DROP TABLE app.sample; --";
      await t.db.query('INSERT INTO app.sample (id, name) VALUES ($1, $2)', [1, evil]);
      const { rows } = await t.db.query<{ name: string }>('SELECT name FROM app.sample WHERE id = $1', [1]);
      assert.equal(rows[0]!.name, evil);
    });

    it('counts rows the same way on both adapters: returned rows, or rows changed', async () => {
      await t.db.query("INSERT INTO app.sample (id, name) VALUES (50, 'a'), (51, 'b'), (52, 'c')");
      assert.equal((await t.db.query('SELECT id FROM app.sample WHERE id >= 50 AND id < 60')).rowCount, 3);
      assert.equal((await t.db.query("UPDATE app.sample SET name = 'z' WHERE id IN (50, 51)")).rowCount, 2);
      assert.equal((await t.db.query("UPDATE app.sample SET name = 'y' WHERE id = 52 RETURNING id")).rowCount, 1);
      assert.equal((await t.db.query('DELETE FROM app.sample WHERE id >= 50 AND id < 60')).rowCount, 3);
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO app.sample (id, name) VALUES (2, $1)', ['kept']);
      });
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await tx.query('INSERT INTO app.sample (id, name) VALUES (3, $1)', ['lost']);
          throw new Error('boom');
        }),
        /boom/,
      );
      const { rows } = await t.db.query<{ id: number }>('SELECT id FROM app.sample WHERE id IN (2, 3) ORDER BY id');
      assert.deepEqual(rows.map((r) => r.id), [2]);
    });

    it('reports database errors with their SQLSTATE', async () => {
      await assert.rejects(t.db.query('INSERT INTO app.sample (id) VALUES (2)'), (error: unknown) => {
        assert.ok(error instanceof DbError);
        assert.ok(isDbError(error, '23505'));
        return true;
      });
      await assert.rejects(t.db.query('SELECT * FROM app.no_such_table'), (e: unknown) => isDbError(e, '42P01'));
    });

    it('bulk-loads with COPY, escaping tabs, newlines, backslashes, NULLs, bytea, json and geometry', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) => [
        1000 + i,
        i === 0 ? 'tab\there\nnew line \\ backslash' : `name ${i}`,
        { i, nested: { ok: true } },
        i === 1 ? Buffer.from([1, 2, 3]) : null,
        new Date(Date.UTC(2020, 0, 1, 0, 0, i % 60)),
        i % 2 === 0 ? '12.5' : null,
        ['a', 'b'],
        `SRID=4326;POINT(${i % 180} ${i % 90})`,
      ]);
      const n = await t.db.copyFrom({ schema: 'app', table: 'sample' }, ['id', 'name', 'data', 'raw', 'at', 'amount', 'tags', 'geom'], rows);
      assert.equal(n, 2500);
      const first = await t.db.query('SELECT name, data, raw, ST_X(geom) AS x FROM app.sample WHERE id IN (1000, 1001) ORDER BY id');
      assert.equal(first.rows[0]!.name, 'tab\there\nnew line \\ backslash');
      assert.deepEqual(first.rows[0]!.data, { i: 0, nested: { ok: true } });
      assert.deepEqual([...(first.rows[1]!.raw as Buffer)], [1, 2, 3]);
      assert.equal(first.rows[1]!.x, 1);
      const count = await t.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM app.sample WHERE id >= 1000');
      assert.equal(count.rows[0]!.n, 2500);
    });

    it('loads from an async generator without holding it in memory', async () => {
      await t.db.execScript('CREATE TABLE app.stream_load (id int8, label text)');
      async function* generate() {
        for (let i = 0; i < 20000; i++) yield [i, `row ${i}`];
      }
      assert.equal(await t.db.copyFrom({ schema: 'app', table: 'stream_load' }, ['id', 'label'], generate()), 20000);
      const { rows } = await t.db.query<{ n: number; s: number }>('SELECT count(*)::int8 AS n, sum(id)::int8 AS s FROM app.stream_load');
      assert.deepEqual(rows[0], { n: 20000, s: (19999 * 20000) / 2 });
    });

    it('records migrations', async () => {
      const { rows } = await t.db.query<{ version: number; name: string }>('SELECT version, name FROM app.migrations ORDER BY version');
      assert.equal(rows[0]!.version, 1);
      assert.equal(rows[0]!.name, 'schemas');
    });
  });
}
