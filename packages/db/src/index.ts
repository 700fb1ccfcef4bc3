export * from './db.ts';
export * from './sql.ts';
export { copyTextLine } from './copy-text.ts';
export { PgDb } from './pg-adapter.ts';
export { PgliteDb, type PgliteOpenOptions } from './pglite-adapter.ts';
export { openDb, type OpenDbOptions } from './open-db.ts';
export { migrate, isMigrated, readMigrations, migrationsFingerprint, MIGRATIONS_DIR, type Migration } from './migrate.ts';
export { visibleSql, type Visibility } from './visibility.ts';
