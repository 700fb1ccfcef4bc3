/**
 * What finalize builds on a staging table before it is published: the feature-id key, the GiST index,
 * the requested attribute and temporal indexes (built side by side on PostgreSQL, one connection each),
 * planner statistics, and the figures the catalog row records (count, extent, time span).
 */
import { MeridianError, sha256Hex } from '@meridian/core';
import { ident, qualified, type Db, type Queryable } from '@meridian/db';
import { GEOMETRY_COLUMN, ID_COLUMN } from './column-names.ts';
import { STAGING_SCHEMA } from './staging-tables.ts';

export type Bbox = [number, number, number, number];

export interface TableStats {
  rowCount: number;
  bbox: Bbox | null;
  temporalStart: Date | null;
  temporalEnd: Date | null;
}

/** An index of a loaded table: named after the staging table while it is built, after the table once published. */
export interface IndexSpec {
  staging: string;
  published: string;
  /** What follows `ON table` in CREATE INDEX. */
  definition: string;
  unique: boolean;
}

export interface IndexRequest {
  spatial: boolean;
  /** Columns to index with a B-tree (attributes and temporal columns). */
  columns: string[];
}

const MAX_IDENTIFIER = 63;

/** A generated name within PostgreSQL's 63 characters; a long one keeps a hash of the whole, so it stays unique. */
export function objectName(...parts: string[]): string {
  const name = parts.join('_');
  if (name.length <= MAX_IDENTIFIER) return name;
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${sha256Hex(name).slice(0, 8)}`;
}

/** Every index of the table: the unique feature-id index (the primary key once published) first. */
export function indexSpecs(staging: string, table: string, request: IndexRequest): IndexSpec[] {
  return [
    { staging: objectName(staging, 'pkey'), published: objectName(table, 'pkey'), definition: `(${ident(ID_COLUMN)})`, unique: true },
    ...(request.spatial
      ? [{ staging: objectName(staging, 'geom'), published: objectName(table, GEOMETRY_COLUMN, 'idx'), definition: `USING gist (${ident(GEOMETRY_COLUMN)})`, unique: false }]
      : []),
    ...[...new Set(request.columns)].map((c, i) => ({ staging: objectName(staging, `i${i}`), published: objectName(table, c, 'idx'), definition: `(${ident(c)})`, unique: false })),
  ];
}

/**
 * Builds the indexes side by side (on a server each on its own connection; PGlite runs them one after
 * another), then ANALYZE. `IF NOT EXISTS` lets a retried finalize skip what an earlier attempt built.
 */
export async function indexStagingTable(db: Db, staging: string, request: IndexRequest): Promise<void> {
  const table = qualified(STAGING_SCHEMA, staging);
  const outcomes = await Promise.allSettled(
    indexSpecs(staging, staging, request).map((index) =>
      db.execScript(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${ident(index.staging)} ON ${table} ${index.definition}`)),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  await db.execScript(`ANALYZE ${table}`);
}

interface StatsRow {
  n: number;
  xmin: number | null;
  ymin: number | null;
  xmax: number | null;
  ymax: number | null;
  t0: Date | null;
  t1: Date | null;
}

function statsOf(row: StatsRow): TableStats {
  return {
    rowCount: row.n,
    bbox: row.xmin === null ? null : [row.xmin, row.ymin!, row.xmax!, row.ymax!],
    temporalStart: row.t0,
    temporalEnd: row.t1,
  };
}

/** A column the catalog's time span is read from: dates count from midnight UTC, like the features API reads them. */
export interface TemporalColumn {
  name: string;
  type: string;
}

function temporalSql(column: TemporalColumn | null): { min: string; max: string } {
  if (column === null) return { min: 'NULL::timestamptz', max: 'NULL::timestamptz' };
  const value = column.type === 'date' ? `(${ident(column.name)}::timestamp AT TIME ZONE 'UTC')` : ident(column.name);
  return { min: `min(${value})`, max: `max(${value})` };
}

const EXTENT = `ST_Extent(${ident(GEOMETRY_COLUMN)})`;

export async function tableStats(db: Queryable, staging: string, temporalColumn: TemporalColumn | null): Promise<TableStats> {
  const t = temporalSql(temporalColumn);
  const { rows } = await db.query<StatsRow>(
    `SELECT n, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, t0, t1
       FROM (SELECT count(*)::bigint AS n, ${EXTENT} AS e, ${t.min} AS t0, ${t.max} AS t1 FROM ${qualified(STAGING_SCHEMA, staging)}) s`,
  );
  return statsOf(rows[0]!);
}

export interface SplitValue {
  /** The value as text; null for the features without one. */
  value: string | null;
  stats: TableStats;
}

export const MAX_SPLIT_VALUES = 20;

/** The distinct values of the split column with their figures; more than 20 is SPLIT_COLUMN_INVALID. */
export async function splitValues(db: Queryable, staging: string, column: string, temporalColumn: TemporalColumn | null): Promise<SplitValue[]> {
  const table = qualified(STAGING_SCHEMA, staging);
  const value = `(${ident(column)})::text`;
  const { rows: distinct } = await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM (SELECT DISTINCT ${value} FROM ${table} LIMIT ${MAX_SPLIT_VALUES + 1}) d`);
  if (distinct[0]!.n > MAX_SPLIT_VALUES) {
    throw new MeridianError('SPLIT_COLUMN_INVALID', `split_column "${column}" has more than ${MAX_SPLIT_VALUES} distinct values`, { split_column: column, limit: MAX_SPLIT_VALUES });
  }
  const t = temporalSql(temporalColumn);
  const { rows } = await db.query<StatsRow & { value: string | null }>(
    `SELECT value, n, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, t0, t1
       FROM (SELECT ${value} AS value, count(*)::bigint AS n, ${EXTENT} AS e, ${t.min} AS t0, ${t.max} AS t1
               FROM ${table} GROUP BY 1) s
      ORDER BY value NULLS LAST`,
  );
  return rows.map((r) => ({ value: r.value, stats: statsOf(r) }));
}
