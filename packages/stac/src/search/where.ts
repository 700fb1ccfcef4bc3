/**
 * The WHERE clause of a search (also of aggregation and registered mosaic searches): visibility of items
 * and of their collections, collections, ids, bbox or intersects, datetime, filter and query. Spatial and
 * attribute predicates go through the shared CQL2 compiler; every value is a bind parameter.
 */
import { compileCql2, parseDatetime, type PropertyResolver, type SqlParams } from '@meridian/catalog';
import { propertiesOf, type Cql2 } from '@meridian/core';
import type { Queryable } from '@meridian/db';
import { queryablesOf } from '../collections.ts';
import { CORE_QUERYABLES, type Queryables } from '../queryables.ts';
import { visibleSql } from '@meridian/db';
import type { Visibility } from '../types.ts';
import { ITEM_ALIAS, propertyName } from './property-sql.ts';
import { queryToCql2 } from './query-extension.ts';
import type { SearchRequest } from './request.ts';

/** Every property a request names in its filter, query and sortby (plus `extra`, e.g. aggregated ones). */
function namedProperties(request: SearchRequest, extra: readonly string[]): string[] {
  const names = [...extra, ...Object.keys(request.query ?? {}), ...(request.sortby ?? []).map((s) => s.field)];
  if (request.filter) names.push(...propertiesOf(request.filter));
  return names.map(propertyName);
}

/**
 * The queryables a request can use: the core set, or — only when it names a property outside it — the
 * core set merged with what the (visible) collections searched declare. Most searches need no query for this.
 */
export async function requestQueryables(db: Queryable, request: SearchRequest, visibility: Visibility, extra: readonly string[] = []): Promise<Queryables> {
  if (namedProperties(request, extra).every((name) => name in CORE_QUERYABLES)) return CORE_QUERYABLES;
  return queryablesOf(db, request.collections, visibility);
}

/** An instant of a datetime parameter bound as SQL; dates are UTC midnights. */
function instantSql(bound: Cql2.DateLiteral | Cql2.TimestampLiteral, params: SqlParams): string {
  return `${params.add('date' in bound ? `${bound.date}T00:00:00Z` : bound.timestamp)}::timestamptz`;
}

/** Items whose [start_datetime, end_datetime] span meets the datetime parameter (an instant or an interval). */
function datetimeSql(text: string, params: SqlParams): string {
  const parsed = parseDatetime(text);
  const [start, end] = 'interval' in parsed ? parsed.interval : [parsed, parsed];
  const conditions: string[] = [];
  if (start !== '..') conditions.push(`${ITEM_ALIAS}.end_datetime >= ${instantSql(start as Cql2.DateLiteral | Cql2.TimestampLiteral, params)}`);
  if (end !== '..') conditions.push(`${ITEM_ALIAS}.start_datetime <= ${instantSql(end as Cql2.DateLiteral | Cql2.TimestampLiteral, params)}`);
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}

/**
 * The collections condition: a reviewer sees every collection, so only the ones named (if any) restrict;
 * anyone else sees items of visible collections only, listed once per query by an InitPlan.
 */
function collectionsSql(collections: readonly string[] | undefined, visibility: Visibility, params: SqlParams): string | undefined {
  if (visibility === 'reviewer') return collections && `${ITEM_ALIAS}.collection = ANY(${params.add(collections)}::text[])`;
  const conditions = [visibleSql('c', visibility)];
  if (collections) conditions.push(`c.id = ANY(${params.add(collections)}::text[])`);
  return `${ITEM_ALIAS}.collection = ANY(ARRAY(SELECT c.id FROM catalog.collections c WHERE ${conditions.join(' AND ')}))`;
}

export function searchConditions(request: SearchRequest, queryables: Queryables, visibility: Visibility, params: SqlParams, resolve: PropertyResolver): string[] {
  const conditions: string[] = [visibleSql(ITEM_ALIAS, visibility)];
  const collections = collectionsSql(request.collections, visibility, params);
  if (collections) conditions.push(collections);
  if (request.ids) conditions.push(`${ITEM_ALIAS}.id = ANY(${params.add(request.ids)}::text[])`);
  const compile = (ast: Cql2.BooleanExpression) => compileCql2(ast, { resolve, params });
  if (request.bbox) conditions.push(compile({ op: 's_intersects', args: [{ property: 'geometry' }, { bbox: request.bbox as Cql2.Bbox }] }));
  if (request.intersects) conditions.push(compile({ op: 's_intersects', args: [{ property: 'geometry' }, { geometry: request.intersects }] }));
  if (request.datetime !== undefined) conditions.push(datetimeSql(request.datetime, params));
  if (request.filter) conditions.push(compile(request.filter));
  const query = request.query && queryToCql2(request.query, queryables);
  if (query) conditions.push(compile(query));
  return conditions;
}
