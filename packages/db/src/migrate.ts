import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MeridianError, sha256Hex } from '@meridian/core';
import { isDbError, type Db } from './db.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Any constant works as long as every Meridian process uses the same one. */
const MIGRATION_LOCK_KEY = 7_210_431_001;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MeridianError('MIGRATION_FAILED', `migration file name "${file}" is not NNNN_name.sql`);
    const sql = await readFile(join(dir, file), 'utf8');
    migrations.push({ version: Number(match[1]), name: match[2]!, sql, checksum: sha256Hex(sql) });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MeridianError('MIGRATION_FAILED', `migrations must be numbered 0001, 0002, … without gaps; found ${file(m)} at position ${i + 1}`);
  });
  return migrations;
}

function file(m: Migration): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
}

/** A fingerprint of the whole migration set: test templates are keyed by it. */
export function migrationsFingerprint(migrations: Migration[]): string {
  return sha256Hex(migrations.map((m) => m.checksum).join(',')).slice(0, 12);
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so several processes starting
 * at once apply each migration exactly once. A migration whose file changed after it was applied stops
 * everything: the database no longer matches the code.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<{ applied: string[] }> {
  const all = migrations ?? (await readMigrations());
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.execScript(`
      CREATE SCHEMA IF NOT EXISTS app;
      CREATE TABLE IF NOT EXISTS app.migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
    const { rows } = await tx.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM app.migrations ORDER BY version');
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const m of all) {
      const prior = done.get(m.version);
      if (prior && prior.checksum !== m.checksum) {
        throw new MeridianError('MIGRATION_CHECKSUM_MISMATCH', `migration ${file(m)} was edited after it was applied (recorded checksum ${prior.checksum.slice(0, 12)}, file ${m.checksum.slice(0, 12)})`, { migration: file(m) });
      }
    }
    const applied: string[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      try {
        await tx.execScript(m.sql);
      } catch (error) {
        if (isDbError(error) && /extension "postgis"|postgis\.control/i.test(error.message)) {
          throw new MeridianError('POSTGIS_MISSING', `migration ${file(m)}: ${error.message}`, {}, { cause: error });
        }
        throw new MeridianError('MIGRATION_FAILED', `migration ${file(m)} failed: ${(error as Error).message}`, { migration: file(m) }, { cause: error });
      }
      await tx.query('INSERT INTO app.migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      applied.push(file(m));
    }
    return { applied };
  });
}

/** For /api/readyz: true when every known migration is recorded. */
export async function isMigrated(db: Db, migrations?: Migration[]): Promise<boolean> {
  const all = migrations ?? (await readMigrations());
  try {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app.migrations');
    return rows[0]!.n >= all.length;
  } catch (error) {
    if (isDbError(error, '42P01') || isDbError(error, '3F000')) return false;
    throw error;
  }
}
