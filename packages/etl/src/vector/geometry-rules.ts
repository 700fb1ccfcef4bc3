/**
 * The geometry rules finalize applies to a loaded staging table: invalid geometries are repaired with
 * ST_MakeValid (kept in their dimension, counted; any that collapse to nothing are dropped); a table of
 * one kind of geometry with both single and multi parts is promoted to Multi*; a table mixing points,
 * lines and polygons is split into one table per kind ({table}_point, _line, _polygon).
 */
import { ident, qualified, type Queryable } from '@meridian/db';
import { BATCH_COLUMN, GEOMETRY_COLUMN, ID_COLUMN } from './column-names.ts';
import { FAMILIES, STAGING_SCHEMA, familyTableName, type Family } from './staging-tables.ts';
import type { PlannedColumn } from './validate-stage.ts';
import { warning, type VectorWarning } from './warnings.ts';

export type GeometryType = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon' | 'Geometry';

/** A table the load publishes: the staging table it is now, and its kind when the load was split. */
export interface LaidOutTable {
  staging: string;
  family: Family | null;
  geometryType: GeometryType;
}

export interface GeometryOutcome {
  tables: LaidOutTable[];
  /** The load's own staging table, to drop when it was split into per-kind tables. */
  splitFrom: string | null;
  warnings: VectorWarning[];
  /** Features dropped because their repaired geometry was empty. */
  dropped: number;
}

const SINGLE: Record<Family, GeometryType> = { point: 'Point', line: 'LineString', polygon: 'Polygon' };
const MULTI: Record<Family, GeometryType> = { point: 'MultiPoint', line: 'MultiLineString', polygon: 'MultiPolygon' };
const FAMILY_OF: Record<string, Family> = {
  Point: 'point', MultiPoint: 'point', LineString: 'line', MultiLineString: 'line', Polygon: 'polygon', MultiPolygon: 'polygon',
};
/** PostGIS GeometryType() names → GeoJSON names. */
const POSTGIS_NAMES: Record<string, string> = {
  POINT: 'Point', MULTIPOINT: 'MultiPoint', LINESTRING: 'LineString', MULTILINESTRING: 'MultiLineString',
  POLYGON: 'Polygon', MULTIPOLYGON: 'MultiPolygon', GEOMETRYCOLLECTION: 'GeometryCollection',
};

const geom = ident(GEOMETRY_COLUMN);

/** Repairs invalid geometries in place; returns how many were invalid. */
async function repair(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ repaired: number }>(
    `WITH repaired AS (
       UPDATE ${table} SET ${geom} = CASE WHEN GeometryType(${geom}) = 'GEOMETRYCOLLECTION' THEN ST_MakeValid(${geom})
                                        ELSE ST_CollectionExtract(ST_MakeValid(${geom}), ST_Dimension(${geom}) + 1) END
        WHERE NOT ST_IsValid(${geom}) RETURNING 1)
     SELECT count(*)::bigint AS repaired FROM repaired`,
  );
  return rows[0]!.repaired;
}

async function typeCounts(db: Queryable, table: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ type: string; n: number }>(`SELECT GeometryType(${geom}) AS type, count(*)::bigint AS n FROM ${table} GROUP BY 1`);
  return Object.fromEntries(rows.map((r) => [POSTGIS_NAMES[r.type] ?? r.type, r.n]));
}

/** One kind of geometry: its type, and whether single parts must become multi to match. */
function familyType(family: Family, types: readonly string[]): { geometryType: GeometryType; promote: boolean } {
  const multi = types.includes(MULTI[family]) || types.includes('GeometryCollection');
  const single = types.includes(SINGLE[family]);
  return { geometryType: multi ? MULTI[family] : SINGLE[family], promote: multi && (single || types.includes('GeometryCollection')) };
}

async function promoteToMulti(db: Queryable, table: string, family: Family): Promise<number> {
  const { rowCount } = await db.query(`UPDATE ${table} SET ${geom} = ST_Multi(${geom}) WHERE GeometryType(${geom}) = $1`, [SINGLE[family].toUpperCase()]);
  return rowCount;
}

/** Copies the rows of one dimension into the kind's own staging table (made afresh, so a retry can redo it). */
async function splitOff(db: Queryable, staging: string, columns: readonly PlannedColumn[], family: Family, promote: boolean): Promise<void> {
  const target = qualified(STAGING_SCHEMA, familyTableName(staging, family));
  const dimension = FAMILIES.indexOf(family);
  const value = promote ? `ST_Multi(ST_CollectionExtract(${geom}, ${dimension + 1}))` : geom;
  const attributes = columns.map((c) => ident(c.name));
  await db.execScript(`DROP TABLE IF EXISTS ${target}; CREATE TABLE ${target} (LIKE ${qualified(STAGING_SCHEMA, staging)}) WITH (autovacuum_enabled = false)`);
  await db.query(
    `INSERT INTO ${target} (${[ident(ID_COLUMN), ...attributes, geom, ident(BATCH_COLUMN)].join(', ')})
     SELECT ${[ident(ID_COLUMN), ...attributes, value, ident(BATCH_COLUMN)].join(', ')}
       FROM ${qualified(STAGING_SCHEMA, staging)} WHERE ST_Dimension(${geom}) = $1`,
    [dimension],
  );
}

async function split(db: Queryable, staging: string, columns: readonly PlannedColumn[], warnings: VectorWarning[]): Promise<LaidOutTable[]> {
  const { rows } = await db.query<{ dimension: number; type: string; n: number }>(
    `SELECT ST_Dimension(${geom}) AS dimension, GeometryType(${geom}) AS type, count(*)::bigint AS n
       FROM ${qualified(STAGING_SCHEMA, staging)} GROUP BY 1, 2`,
  );
  const tables: LaidOutTable[] = [];
  for (const family of FAMILIES) {
    const types = rows.filter((r) => r.dimension === FAMILIES.indexOf(family)).map((r) => POSTGIS_NAMES[r.type] ?? r.type);
    if (types.length === 0) continue;
    const { geometryType, promote } = familyType(family, types);
    await splitOff(db, staging, columns, family, promote);
    tables.push({ staging: familyTableName(staging, family), family, geometryType });
  }
  const collections = rows.filter((r) => r.type === 'GEOMETRYCOLLECTION').reduce((n, r) => n + r.n, 0);
  if (collections) {
    warnings.push(warning('COLLECTION_PARTS_DROPPED', `${collections} geometry collection(s) kept only their parts of the highest dimension`, collections));
  }
  const counts = tables.map((t) => `${t.family}: ${rows.filter((r) => r.dimension === FAMILIES.indexOf(t.family!)).reduce((n, r) => n + r.n, 0)}`);
  warnings.push(warning('GEOMETRY_TYPES_SPLIT', `the layer mixes geometry kinds; it was split into one table per kind (${counts.join(', ')})`));
  return tables;
}

export async function applyGeometryRules(db: Queryable, staging: string, columns: readonly PlannedColumn[], loadedTypes: Record<string, number>): Promise<GeometryOutcome> {
  const table = qualified(STAGING_SCHEMA, staging);
  const warnings: VectorWarning[] = [];
  let types = loadedTypes;
  let dropped = 0;
  // Points are always valid: a repair pass over them would only cost time.
  if (Object.keys(types).some((t) => t !== 'Point' && t !== 'MultiPoint')) {
    const repaired = await repair(db, table);
    if (repaired > 0) {
      dropped = (await db.query(`DELETE FROM ${table} WHERE ST_IsEmpty(${geom})`)).rowCount;
      warnings.push(warning('GEOMETRY_REPAIRED', `${repaired} invalid geometr${repaired === 1 ? 'y was' : 'ies were'} repaired with ST_MakeValid${dropped ? `; ${dropped} collapsed to nothing and were dropped` : ''}`, repaired));
      types = await typeCounts(db, table);
    }
  }
  const names = Object.keys(types).filter((t) => types[t]! > 0);
  const families = new Set(names.map((t) => FAMILY_OF[t]));
  if (names.every((t) => t === 'GeometryCollection' || !FAMILY_OF[t])) {
    return { tables: [{ staging, family: null, geometryType: 'Geometry' }], splitFrom: null, warnings, dropped };
  }
  if (families.size === 1 && !families.has(undefined)) {
    const family = [...families][0]!;
    const { geometryType, promote } = familyType(family, names);
    if (promote) {
      const promoted = await promoteToMulti(db, table, family);
      warnings.push(warning('GEOMETRY_PROMOTED_TO_MULTI', `${promoted} ${SINGLE[family]} geometr${promoted === 1 ? 'y was' : 'ies were'} stored as ${geometryType} to match the rest of the layer`, promoted));
    }
    return { tables: [{ staging, family: null, geometryType }], splitFrom: null, warnings, dropped };
  }
  return { tables: await split(db, staging, columns, warnings), splitFrom: staging, warnings, dropped };
}
