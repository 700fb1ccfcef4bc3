import { mkdir } from 'node:fs/promises';
import { openDb, migrate, type Db } from '@meridian/db';
import { openBlobStore, type BlobStore } from '@meridian/storage';
import type { Config } from '@meridian/config';
import type { Logger } from './logger.ts';

export const VERSION = '0.1.0';

/** The long-lived resources of one Meridian process, opened once at start-up and closed on shutdown. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  store: BlobStore;
  startedAt: Date;
  version: string;
}

export async function openRuntime(config: Config, log: Logger, options: { migrate: boolean }): Promise<Runtime> {
  await mkdir(config.home, { recursive: true });
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    home: config.home,
    poolSize: config.databasePoolSize,
    onPoolError: (error) => log.error({ err: error }, 'database pool error'),
  });
  try {
    if (options.migrate) {
      const { applied } = await migrate(db);
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
    const store = openBlobStore(config.storage);
    return { config, log, db, store, startedAt: new Date(), version: VERSION };
  } catch (error) {
    await db.close();
    throw error;
  }
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  await runtime.db.close();
}
