import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, TEST_BACKENDS, type TestDb } from '../testing/index.ts';
import { migrate, readMigrations, type Migration } from '../src/index.ts';
import { isMeridianError, sha256Hex } from '@meridian/core';

function extra(version: number, sql: string): Migration {
  return { version, name: `extra_${version}`, sql, checksum: sha256Hex(sql) };
}

for (const kind of TEST_BACKENDS) {
  describe(`migrations on ${kind}`, () => {
    let t: TestDb;
    let base: Migration[];
    before(async () => {
      t = await createTestDb(kind);
      base = await readMigrations();
    });
    after(() => t.drop());

    it('applies only what is pending and is a no-op the second time', async () => {
      const set = [...base, extra(base.length + 1, 'CREATE TABLE app.extra_one (id int);')];
      assert.deepEqual((await migrate(t.db, set)).applied, [`${String(base.length + 1).padStart(4, '0')}_extra_${base.length + 1}.sql`]);
      assert.deepEqual((await migrate(t.db, set)).applied, []);
    });

    it('fails loudly when an applied migration was edited', async () => {
      const edited = [...base, extra(base.length + 1, 'CREATE TABLE app.extra_one (id int, edited int);')];
      await assert.rejects(migrate(t.db, edited), (error: unknown) => isMeridianError(error) && error.code === 'MIGRATION_CHECKSUM_MISMATCH');
    });

    it('rolls back a failing migration completely', async () => {
      const set = [
        ...base,
        extra(base.length + 1, 'CREATE TABLE app.extra_one (id int);'),
        extra(base.length + 2, 'CREATE TABLE app.half_done (id int); SELECT * FROM no_such_table;'),
      ];
      await assert.rejects(migrate(t.db, set), (error: unknown) => isMeridianError(error) && error.code === 'MIGRATION_FAILED');
      const { rows } = await t.db.query("SELECT to_regclass('app.half_done') AS t");
      assert.equal(rows[0]!.t, null);
    });
  });
}

describe('migration files', () => {
  it('rejects a file whose name is not NNNN_name.sql', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migr-'));
    await writeFile(join(dir, '1_bad.sql'), 'SELECT 1;');
    await assert.rejects(readMigrations(dir), /NNNN_name\.sql/);
  });

  it('rejects gaps in the numbering', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migr-'));
    await writeFile(join(dir, '0001_a.sql'), 'SELECT 1;');
    await writeFile(join(dir, '0003_c.sql'), 'SELECT 1;');
    await assert.rejects(readMigrations(dir), /without gaps/);
  });
});
