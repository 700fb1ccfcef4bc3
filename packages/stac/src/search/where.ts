/**
 * The WHERE clause of a search (also of aggregation and registered mosaic searches): visibility, the
 * collections the caller may see, ids, bbox or intersects, datetime, filter and query. Spatial and
 * attribute predicates go through the shared CQL2 compiler; every value is a bind parameter.
 */
import { compileCql2, parseDatetime, type PropertyResolver, type SqlParams } from '@meridian/catalog';
import type { Cql2 } from '@meridian/core';
import type { Queryable } from '@meridian/db';
import { mergeQueryables, type Queryables } from '../queryables.ts';
import { visibleSql } from '../visibility.ts';
import type { Visibility } from '../types.ts';
import { ITEM_ALIAS, itemPropertyResolver } from './property-sql.ts';
import { queryToCql2 } from './query-extension.ts';
import type { SearchRequest } from './request.ts';

/** Which collections a search runs over, and the queryables they offer together. */
export interface SearchScope {
  /** The visible collections among those asked for (all visible ones when none were named). */
  collectionIds: string[];
  /** False when every collection is visible and none was named, so no collection condition is needed. */
  restricted: boolean;
  queryables: Queryables;
}

export async function searchScope(db: Queryable, collections: readonly string[] | undefined, visibility: Visibility): Promise<SearchScope> {
  const { rows } = await db.query<{ id: string; queryables: Queryables }>(
    `SELECT c.id, c.queryables FROM catalog.collections c
      WHERE ${visibleSql('c', visibility)} AND ($1::text[] IS NULL OR c.id = ANY($1::text[])) ORDER BY c.id`,
    [collections === undefined ? null : [...collections]],
  );
  return {
    collectionIds: rows.map((r) => r.id),
    restricted: collections !== undefined || visibility !== 'reviewer',
    queryables: mergeQueryables(rows.map((r) => r.queryables)),
  };
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

export function searchConditions(request: SearchRequest, scope: SearchScope, visibility: Visibility, params: SqlParams, resolve: PropertyResolver = itemPropertyResolver(scope.queryables, params)): string[] {
  if (scope.collectionIds.length === 0) return ['false'];
  const conditions: string[] = [visibleSql(ITEM_ALIAS, visibility)];
  if (scope.restricted) conditions.push(`${ITEM_ALIAS}.collection = ANY(${params.add(scope.collectionIds)}::text[])`);
  if (request.ids) conditions.push(`${ITEM_ALIAS}.id = ANY(${params.add(request.ids)}::text[])`);
  const compile = (ast: Cql2.BooleanExpression) => compileCql2(ast, { resolve, params });
  if (request.bbox) conditions.push(compile({ op: 's_intersects', args: [{ property: 'geometry' }, { bbox: request.bbox as Cql2.Bbox }] }));
  if (request.intersects) conditions.push(compile({ op: 's_intersects', args: [{ property: 'geometry' }, { geometry: request.intersects }] }));
  if (request.datetime !== undefined) conditions.push(datetimeSql(request.datetime, params));
  if (request.filter) conditions.push(compile(request.filter.ast));
  const query = request.query && queryToCql2(request.query, scope.queryables);
  if (query) conditions.push(compile(query));
  return conditions;
}
