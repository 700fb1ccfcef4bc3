/**
 * The repository over geo.table_catalog: which vector tables are published, and what of them may be served.
 * Column types are read from the database itself (pg_attribute), so a catalog row can never make the API
 * name a column the table does not have; only columns listed in the row are published.
 */
import { visibleSql, type Queryable, type Visibility } from '@meridian/db';
import { columnSpec, type ColumnSpec } from './column-types.ts';

export type GeometryType = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon' | 'Geometry';
export type AccessLevel = 'public' | 'ouo';

/** One published attribute. */
export interface PublishedColumn {
  name: string;
  pgType: string;
  /** The attribute's name in the source file, before sanitizing. */
  originalName: string;
  spec: ColumnSpec;
}

export interface VectorCollection {
  /** The table name in schema geo, which is also the OGC collection id. */
  id: string;
  title: string;
  description: string;
  geometryColumn: string;
  idColumn: string;
  /** Whether feature ids are integers (else text); integer ids also become MVT feature ids. */
  integerIds: boolean;
  bbox: [number, number, number, number] | null;
  temporalStart: Date | null;
  temporalEnd: Date | null;
  temporalProperty: string | null;
  geometryType: GeometryType;
  sourceCrs: string | null;
  featureCount: number;
  columns: PublishedColumn[];
  revision: number;
  accessLevel: AccessLevel;
  /** False while the release awaits approval (only reviewers see it then). */
  served: boolean;
  updatedAt: Date;
  /**
   * Which catalog row version and which table this was read from ("xmin:oid"): any change of the row (a
   * reload, an approval, a revocation) or a table swapped in gives a new one (collection-cache.ts).
   */
  catalogVersion: string;
}

/** What the ETL writes for a table it loaded (upsert by table name). */
export interface VectorTableEntry {
  tableName: string;
  title: string;
  description?: string;
  geometryColumn?: string;
  idColumn?: string;
  bbox?: [number, number, number, number] | null;
  temporalStart?: Date | null;
  temporalEnd?: Date | null;
  temporalProperty?: string | null;
  geometryType: GeometryType;
  sourceCrs?: string | null;
  featureCount: number;
  columns: { name: string; type: string; original_name?: string }[];
  sourceContainer?: string | null;
  sourceBlob?: string | null;
  jobId?: string | null;
  accessLevel?: AccessLevel;
  /** Absent keeps the current publication state of an existing row (new rows start unserved). */
  served?: boolean;
}

interface CatalogRow {
  table_name: string;
  title: string;
  description: string;
  geometry_column: string;
  id_column: string;
  bbox: number[] | null;
  temporal_start: Date | null;
  temporal_end: Date | null;
  temporal_property: string | null;
  geometry_type: GeometryType;
  source_crs: string | null;
  feature_count: number;
  columns: { name: string; type?: string; original_name?: string }[];
  revision: number;
  access_level: AccessLevel;
  served: boolean;
  updated_at: Date;
  attributes: Record<string, string> | null;
  catalog_version: string;
}

const INTEGER_TYPES: ReadonlySet<string> = new Set(['smallint', 'integer', 'bigint']);

/** The version of catalog row `c` and of the table it names (see VectorCollection.catalogVersion). */
export const CATALOG_VERSION_SQL = `format('%s:%s', c.xmin, to_regclass(format('geo.%I', c.table_name))::oid)`;

const SELECT_CATALOG = `
  SELECT c.table_name, c.title, c.description, c.geometry_column, c.id_column, c.bbox, c.temporal_start,
         c.temporal_end, c.temporal_property, c.geometry_type, c.source_crs, c.feature_count, c.columns,
         c.revision, c.access_level, c.served, c.updated_at, a.attributes, ${CATALOG_VERSION_SQL} AS catalog_version
    FROM geo.table_catalog c
    CROSS JOIN LATERAL (
      SELECT jsonb_object_agg(attname, format_type(atttypid, atttypmod)) AS attributes
        FROM pg_attribute
       WHERE attrelid = to_regclass(format('geo.%I', c.table_name)) AND attnum > 0 AND NOT attisdropped
    ) a
   WHERE `;

function toCollection(row: CatalogRow): VectorCollection | undefined {
  const attributes = row.attributes;
  const idType = attributes?.[row.id_column];
  if (!attributes || !attributes[row.geometry_column] || idType === undefined) return undefined;
  const columns: PublishedColumn[] = [];
  for (const column of row.columns) {
    const pgType = attributes[column.name];
    if (pgType === undefined || column.name === row.geometry_column || column.name === row.id_column) continue;
    columns.push({ name: column.name, pgType, originalName: column.original_name ?? column.name, spec: columnSpec(pgType) });
  }
  return {
    id: row.table_name,
    title: row.title,
    description: row.description,
    geometryColumn: row.geometry_column,
    idColumn: row.id_column,
    integerIds: INTEGER_TYPES.has(idType),
    bbox: row.bbox?.length === 4 ? (row.bbox as [number, number, number, number]) : null,
    temporalStart: row.temporal_start,
    temporalEnd: row.temporal_end,
    temporalProperty: row.temporal_property !== null && columns.some((c) => c.name === row.temporal_property) ? row.temporal_property : null,
    geometryType: row.geometry_type,
    sourceCrs: row.source_crs,
    featureCount: row.feature_count,
    columns,
    revision: row.revision,
    accessLevel: row.access_level,
    served: row.served,
    updatedAt: row.updated_at,
    catalogVersion: row.catalog_version,
  };
}

/** The collections `visibility` may see whose table exists, by id. */
export async function listVisibleCollections(db: Queryable, visibility: Visibility): Promise<VectorCollection[]> {
  const { rows } = await db.query<CatalogRow>(`${SELECT_CATALOG}${visibleSql('c', visibility)} ORDER BY c.table_name`);
  return rows.map(toCollection).filter((c): c is VectorCollection => c !== undefined);
}

/** One collection, or undefined when it does not exist, `visibility` may not see it, or its table is gone. */
export async function getVisibleCollection(db: Queryable, id: string, visibility: Visibility): Promise<VectorCollection | undefined> {
  const { rows } = await db.query<CatalogRow>(`${SELECT_CATALOG}${visibleSql('c', visibility)} AND c.table_name = $1`, [id]);
  return rows[0] === undefined ? undefined : toCollection(rows[0]);
}

/**
 * Creates or replaces the catalog row of a table. A replacement increments the revision (the tiles' ETags
 * change with it) and keeps the publication state unless `served` is given.
 */
export async function upsertVectorTable(db: Queryable, entry: VectorTableEntry): Promise<{ revision: number }> {
  const { rows } = await db.query<{ revision: number }>(
    `INSERT INTO geo.table_catalog AS c (
       table_name, title, description, geometry_column, id_column, bbox, temporal_start, temporal_end,
       temporal_property, geometry_type, source_crs, feature_count, columns, source_container, source_blob,
       job_id, access_level, served)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, COALESCE($18, false))
     ON CONFLICT (table_name) DO UPDATE SET
       title = EXCLUDED.title, description = EXCLUDED.description, geometry_column = EXCLUDED.geometry_column,
       id_column = EXCLUDED.id_column, bbox = EXCLUDED.bbox, temporal_start = EXCLUDED.temporal_start,
       temporal_end = EXCLUDED.temporal_end, temporal_property = EXCLUDED.temporal_property,
       geometry_type = EXCLUDED.geometry_type, source_crs = EXCLUDED.source_crs,
       feature_count = EXCLUDED.feature_count, columns = EXCLUDED.columns,
       source_container = EXCLUDED.source_container, source_blob = EXCLUDED.source_blob,
       job_id = EXCLUDED.job_id, access_level = EXCLUDED.access_level,
       served = COALESCE($18, c.served), revision = c.revision + 1
     RETURNING revision`,
    [
      entry.tableName, entry.title, entry.description ?? '', entry.geometryColumn ?? 'geom', entry.idColumn ?? 'id',
      entry.bbox ?? null, entry.temporalStart ?? null, entry.temporalEnd ?? null, entry.temporalProperty ?? null,
      entry.geometryType, entry.sourceCrs ?? null, entry.featureCount, JSON.stringify(entry.columns),
      entry.sourceContainer ?? null, entry.sourceBlob ?? null, entry.jobId ?? null, entry.accessLevel ?? 'public',
      entry.served ?? null,
    ],
  );
  return { revision: rows[0]!.revision };
}

/**
 * Publishes or withdraws a table with its classification (the platform's approval, revocation and
 * unpublishing). False when the table has no catalog row.
 */
export async function setTableServed(db: Queryable, tableName: string, served: boolean, accessLevel: AccessLevel): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE geo.table_catalog SET served = $2, access_level = $3 WHERE table_name = $1', [tableName, served, accessLevel]);
  return rowCount > 0;
}
