/**
 * Test databases, one per test file, cloned from a migrated template so no test pays for a fresh
 * PostGIS database: on PostgreSQL `CREATE DATABASE … TEMPLATE`, on PGlite a gzipped data directory.
 * Templates are keyed by the migrations' fingerprint, so editing a migration builds a new template.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgDb, PgliteDb, migrate, migrationsFingerprint, readMigrations, type Db, type DbKind } from '../src/index.ts';

export const TEST_BACKENDS: readonly DbKind[] = ['postgres', 'pglite'];

/** The PostgreSQL server the tests use (trust auth on the CI machine). */
export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  kind: DbKind;
  /** The connection URL (PostgreSQL) or data directory (PGlite) of this test's database. */
  location: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensurePgTemplate(): Promise<string> {
  const name = `meridian_tpl_${migrationsFingerprint(await readMigrations())}`;
  await adminQuery(async (client) => {
    await client.query('SELECT pg_advisory_lock(7210431002)');
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_build_${process.pid}`;
      await client.query(`CREATE DATABASE "${building}"`);
      const db = await PgDb.open(withDatabase(PG_TEST_URL, building), 2);
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7210431002)');
    }
  });
  return name;
}

export async function createPgTestDb(): Promise<TestDb> {
  const template = await ensurePgTemplate();
  const name = `meridian_test_${randomBytes(6).toString('hex')}`;
  await adminQuery((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const location = withDatabase(PG_TEST_URL, name);
  const db = await PgDb.open(location, 5);
  return {
    db,
    kind: 'postgres',
    location,
    async drop() {
      await db.close();
      await adminQuery((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

const TEMPLATE_DIR = join(tmpdir(), 'meridian-test-templates');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Builds the PGlite template once per machine; concurrent test files wait for the first builder. */
async function ensurePgliteTemplate(): Promise<string> {
  const path = join(TEMPLATE_DIR, `pglite_${migrationsFingerprint(await readMigrations())}.tgz`);
  if (await exists(path)) return path;
  await mkdir(TEMPLATE_DIR, { recursive: true });
  const buildDir = join(TEMPLATE_DIR, `build_${process.pid}_${randomBytes(3).toString('hex')}`);
  const db = await PgliteDb.open({ dataDir: buildDir });
  try {
    await migrate(db);
    await db.dump(`${path}.${process.pid}`);
  } finally {
    await db.close();
    await rm(buildDir, { recursive: true, force: true });
  }
  await rename(`${path}.${process.pid}`, path);
  return path;
}

export async function createPgliteTestDb(): Promise<TestDb> {
  const template = await ensurePgliteTemplate();
  const dir = await mkdtemp(join(tmpdir(), 'meridian-pglite-'));
  const dataDir = join(dir, 'pgdata');
  const db = await PgliteDb.open({ dataDir, loadDataDir: template });
  return {
    db,
    kind: 'pglite',
    location: dataDir,
    async drop() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function createTestDb(kind: DbKind): Promise<TestDb> {
  return kind === 'postgres' ? createPgTestDb() : createPgliteTestDb();
}
