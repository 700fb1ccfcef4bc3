/**
 * The published side of a load in schema geo: which names are taken, and removing tables, views and
 * their catalog rows (the catalog package writes and reads rows; removing them is the ETL's job).
 */
import { qualified, type Queryable } from '@meridian/db';
import { PUBLISHED_SCHEMA } from './staging-tables.ts';

export interface GeoObject {
  name: string;
  kind: 'table' | 'view';
}

/** The tables and views of schema geo among `names`, plus names with only a catalog row. */
export async function existingObjects(db: Queryable, names: readonly string[]): Promise<GeoObject[]> {
  const { rows } = await db.query<{ name: string; kind: string }>(
    `SELECT n.name, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS kind
       FROM unnest($1::text[]) AS n(name)
       LEFT JOIN pg_class c ON c.relname = n.name AND c.relnamespace = $2::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
      WHERE c.oid IS NOT NULL OR EXISTS (SELECT 1 FROM geo.table_catalog t WHERE t.table_name = n.name)`,
    [names, PUBLISHED_SCHEMA],
  );
  return rows.map((r) => ({ name: r.name, kind: r.kind as GeoObject['kind'] }));
}

/** Views first (they depend on the tables); CASCADE takes any view someone else built on them. */
export async function dropObjects(tx: Queryable, tables: readonly string[], views: readonly string[]): Promise<void> {
  if (views.length) await tx.execScript(`DROP VIEW IF EXISTS ${views.map((v) => qualified(PUBLISHED_SCHEMA, v)).join(', ')} CASCADE`);
  if (tables.length) await tx.execScript(`DROP TABLE IF EXISTS ${tables.map((t) => qualified(PUBLISHED_SCHEMA, t)).join(', ')} CASCADE`);
}

export async function deleteCatalogRows(tx: Queryable, names: readonly string[]): Promise<number> {
  const { rowCount } = await tx.query('DELETE FROM geo.table_catalog WHERE table_name = ANY ($1::text[])', [names]);
  return rowCount;
}
