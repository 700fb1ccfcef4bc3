/**
 * The SQL behind `items` and `items/{featureId}`. Features are written as GeoJSON text by PostgreSQL
 * (ST_AsGeoJSON, json_build_object), and a page comes back as one JSON array text in one row, so a page of
 * 10,000 features is never parsed, re-serialized or even split into rows in Node.
 */
import { MeridianError } from '@meridian/core';
import { ident, isDbError, qualified, type Queryable, type Visibility } from '@meridian/db';
import { bboxSql } from './bbox-sql.ts';
import { STALE, catalogGuardSql, type Stale } from './collection-cache.ts';
import { TABLE_ALIAS, columnRef, propertyResolver } from './collection-properties.ts';
import { compileCql2 } from './cql2-sql/compile.ts';
import { fromStorageSql, type CrsDefinition } from './crs.ts';
import { plannerRows } from './planner-estimate.ts';
import type { ItemsQuery } from './items-params.ts';
import { SqlParams } from './sql-params.ts';
import type { PublishedColumn, VectorCollection } from './vector-catalog.ts';

/**
 * numberMatched is counted exactly when the planner expects at most this many matches; above it, the
 * planner's estimate is returned and flagged (numberMatchedEstimated), because an exact count of a large
 * result costs more than the page itself.
 */
export const EXACT_COUNT_THRESHOLD = 10_000;

export interface ItemsPage {
  /** The features in order, as the text of a JSON array of GeoJSON Features. */
  featuresJson: string;
  numberReturned: number;
  numberMatched: number;
  numberMatchedEstimated: boolean;
}

function fromClause(collection: VectorCollection): string {
  return `FROM ${qualified('geo', collection.id)} AS ${TABLE_ALIAS}`;
}

/** json_build_object takes at most 100 arguments: 50 properties. */
const MAX_BUILD_OBJECT_PROPERTIES = 50;

/** The properties object of the current row. */
function propertiesSql(properties: readonly PublishedColumn[], params: SqlParams): string {
  if (properties.length === 0) return `'{}'::json`;
  const values = properties.map((c) => [c.spec.jsonSql(columnRef(c.name)), c.name] as const);
  // json_build_object is the cheaper of the two; row_to_json over a sub-select has no argument limit.
  if (properties.length <= MAX_BUILD_OBJECT_PROPERTIES) {
    return `json_build_object(${values.map(([sql, name]) => `${params.add(name)}::text, ${sql}`).join(', ')})`;
  }
  return `(SELECT row_to_json(p) FROM (SELECT ${values.map(([sql, name]) => `${sql} AS ${ident(name)}`).join(', ')}) AS p)`;
}

/**
 * The GeoJSON Feature of the current row, as text. Concatenated rather than built with json_build_object,
 * which would parse the geometry's GeoJSON text once more only to print it again.
 */
function featureSql(collection: VectorCollection, properties: readonly PublishedColumn[], crs: CrsDefinition, params: SqlParams): string {
  const geometry = `ST_AsGeoJSON(${fromStorageSql(columnRef(collection.geometryColumn), crs)}, ${crs.decimals})`;
  return `'{"type":"Feature","id":' || to_json(${columnRef(collection.idColumn)})::text || ',"geometry":' || COALESCE(${geometry}, 'null')
    || ',"properties":' || ${propertiesSql(properties, params)}::text || '}'`;
}

function whereSql(collection: VectorCollection, query: ItemsQuery, params: SqlParams): string {
  const conditions: string[] = [];
  if (query.bbox) conditions.push(`ST_Intersects(${columnRef(collection.geometryColumn)}, ${bboxSql(query.bbox, query.bboxCrs, params)})`);
  const resolve = propertyResolver(collection);
  for (const predicate of query.predicates) conditions.push(compileCql2(predicate, { resolve, params, literalCrs: query.filterCrs }));
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

/**
 * A filter that type-checks can still fail on the data (division by zero, an overflow, a value a cast
 * rejects): that is the request's fault, so it is a 400, not a 500.
 */
export async function evaluate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDbError(error) && (error.sqlState.startsWith('22') || error.sqlState === '42883' || error.sqlState === '42804')) {
      throw new MeridianError('VALIDATION_ERROR', `the query cannot be evaluated on this collection's data: ${error.message}`, {}, { cause: error });
    }
    throw error;
  }
}

/**
 * One page of features, or STALE when `collection` is no longer the current catalog entry visible to
 * `visibility` (the guard is checked in the same statement, see collection-cache.ts).
 */
export async function queryItems(db: Queryable, collection: VectorCollection, query: ItemsQuery, visibility: Visibility): Promise<ItemsPage | Stale> {
  const params = new SqlParams();
  const where = whereSql(collection, query, params);
  const filterParams = [...params.values];
  // NULLs sort last in both directions (PostgreSQL would put them first when descending).
  const order = [...query.sortby.map((key) => `${columnRef(key.column.name)}${key.descending ? ' DESC NULLS LAST' : ''}`), columnRef(collection.idColumn)];
  const feature = featureSql(collection, query.properties ?? collection.columns, query.crs, params);
  const pageSql = `SELECT ${feature} AS feature ${fromClause(collection)} ${where === '' ? 'WHERE' : `${where} AND`} g.fresh
    ORDER BY ${order.join(', ')} LIMIT ${params.add(query.limit)} OFFSET ${params.add(query.offset)}`;
  // The aggregate reads the sorted page straight from its sub-select, so it keeps the page's order.
  const sql = `SELECT g.fresh, p.returned, p.features FROM (SELECT ${catalogGuardSql(collection, visibility, params)} AS fresh) AS g
    CROSS JOIN LATERAL (SELECT count(*)::integer AS returned, '[' || COALESCE(string_agg(q.feature, ','), '') || ']' AS features FROM (${pageSql}) AS q) AS p`;
  const estimateMatches = () => evaluate(() => plannerRows(db, `SELECT 1 ${fromClause(collection)} ${where}`, filterParams));
  // A full page needs the planner's estimate of the matches: when the collection can fill the page, it is
  // asked beside the page query (on another connection), so its few hundred microseconds add no latency.
  const early = collection.featureCount >= query.offset + query.limit ? estimateMatches() : undefined;
  early?.catch(() => undefined);
  const { rows } = await evaluate(() => db.query<{ fresh: boolean; returned: number; features: string }>(sql, params.values));
  const { fresh, returned, features } = rows[0]!;
  if (!fresh) return STALE;
  const page = { featuresJson: features, numberReturned: returned };
  // A short page, not empty or at the start, tells the exact total without counting.
  if (returned < query.limit && (returned > 0 || query.offset === 0)) {
    return { ...page, numberMatched: query.offset + returned, numberMatchedEstimated: false };
  }
  const estimate = await (early ?? estimateMatches());
  if (estimate > EXACT_COUNT_THRESHOLD) {
    return { ...page, numberMatched: Math.max(Math.round(estimate), query.offset + returned), numberMatchedEstimated: true };
  }
  const counted = await evaluate(() => db.query<{ n: number }>(`SELECT count(*) AS n ${fromClause(collection)} ${where}`, filterParams));
  return { ...page, numberMatched: counted.rows[0]!.n, numberMatchedEstimated: false };
}

/** One feature as GeoJSON text, or undefined when the collection has no feature with this id. */
export async function queryFeature(db: Queryable, collection: VectorCollection, featureId: string, crs: CrsDefinition): Promise<string | undefined> {
  if (collection.integerIds && !/^-?\d{1,18}$/.test(featureId)) return undefined;
  const params = new SqlParams();
  const where = `${columnRef(collection.idColumn)} = ${params.add(featureId)}`;
  const sql = `SELECT ${featureSql(collection, collection.columns, crs, params)} AS feature ${fromClause(collection)} WHERE ${where} LIMIT 1`;
  try {
    const { rows } = await db.query<{ feature: string }>(sql, params.values);
    return rows[0]?.feature;
  } catch (error) {
    // An id the column's type cannot even hold (e.g. not a uuid) names no feature.
    if (isDbError(error, '22P02')) return undefined;
    throw error;
  }
}
