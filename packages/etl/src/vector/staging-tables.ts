/**
 * Loads are built in schema etl, beside what is published, under a name derived from the job id (so a
 * retry or a resubmission of the job finds its own table and no two jobs share one). Finalize moves them
 * into schema geo; a failed load drops them, so nothing is left behind.
 */
import { ident, qualified, type Queryable } from '@meridian/db';
import { BATCH_COLUMN, GEOMETRY_COLUMN, ID_COLUMN } from './column-names.ts';

export const STAGING_SCHEMA = 'etl';
export const PUBLISHED_SCHEMA = 'geo';

/** The geometry families a load of mixed types is split into, each its own table. */
export const FAMILIES = ['point', 'line', 'polygon'] as const;
export type Family = (typeof FAMILIES)[number];

export interface StagedColumn {
  name: string;
  type: string;
}

export function stagingTableName(jobId: string): string {
  return `load_${jobId.slice(0, 40)}`;
}

/** The staging table of one geometry family, made by finalize when a load is split by type. */
export function familyTableName(staging: string, family: Family): string {
  return `${staging}_${family}`;
}

export function stagingColumnsSql(columns: readonly StagedColumn[]): string {
  return [
    `${ident(ID_COLUMN)} bigint NOT NULL`,
    ...columns.map((c) => `${ident(c.name)} ${c.type}`),
    `${ident(GEOMETRY_COLUMN)} geometry(Geometry, 4326)`,
    `${ident(BATCH_COLUMN)} integer NOT NULL`,
  ].join(', ');
}

/**
 * A fresh staging table. Autovacuum stays off while it loads (finalize runs ANALYZE itself and turns it
 * back on), so a bulk load is not slowed by a vacuum of its own half-written table.
 */
export async function createStagingTable(db: Queryable, staging: string, columns: readonly StagedColumn[]): Promise<void> {
  await dropStagingTables(db, staging);
  await db.execScript(`CREATE TABLE ${qualified(STAGING_SCHEMA, staging)} (${stagingColumnsSql(columns)}) WITH (autovacuum_enabled = false)`);
}

/** Drops the staging table of a job and any per-family tables made from it. */
export async function dropStagingTables(db: Queryable, staging: string): Promise<void> {
  const names = [staging, ...FAMILIES.map((f) => familyTableName(staging, f))];
  await db.execScript(`DROP TABLE IF EXISTS ${names.map((n) => qualified(STAGING_SCHEMA, n)).join(', ')}`);
}

export async function stagingTableExists(db: Queryable, table: string): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${STAGING_SCHEMA}.${table}`]);
  return rows[0]!.exists;
}

/** A retried chunk deletes what an earlier attempt may have written of it (and of any later chunk). */
export async function deleteBatchesFrom(db: Queryable, staging: string, batch: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM ${qualified(STAGING_SCHEMA, staging)} WHERE ${ident(BATCH_COLUMN)} >= $1`, [batch]);
  return rowCount;
}
