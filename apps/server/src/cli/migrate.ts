import { openDb, migrate } from '@meridian/db';
import type { Command } from './commands.ts';

export const migrateCommand: Command = {
  summary: 'apply pending database migrations and exit',
  async run(_args, { config, log }) {
    const db = await openDb({ databaseUrl: config.databaseUrl, home: config.home, poolSize: 2 });
    try {
      const { applied } = await migrate(db);
      log.info({ applied }, 'migrations done');
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
      return 0;
    } finally {
      await db.close();
    }
  },
};
