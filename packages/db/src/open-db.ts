import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './db.ts';
import { PgDb } from './pg-adapter.ts';
import { PgliteDb } from './pglite-adapter.ts';

export interface OpenDbOptions {
  databaseUrl: string | null;
  home: string;
  poolSize: number;
  onPoolError?: (error: Error) => void;
}

/** PostgreSQL when a URL is configured, else the embedded PGlite database in `$MERIDIAN_HOME/pgdata`. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) return PgDb.open(options.databaseUrl, options.poolSize, options.onPoolError);
  await mkdir(options.home, { recursive: true });
  return PgliteDb.open({ dataDir: join(options.home, 'pgdata') });
}
