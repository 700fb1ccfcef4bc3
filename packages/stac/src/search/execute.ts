/**
 * Runs an item search: one page in keyset order, the token of the next page, and numberMatched (counted
 * exactly when the planner expects few matches, else the planner's estimate, flagged as such).
 */
import { SqlParams, evaluate, plannerRows } from '@meridian/catalog';
import type { Queryable } from '@meridian/db';
import type { StacItem, Visibility } from '../types.ts';
import { afterTokenSql, encodeToken, keyColumnsSql, orderBySql, orderKeys } from './order.ts';
import { ITEM_ALIAS, itemPropertyResolver } from './property-sql.ts';
import type { SearchRequest } from './request.ts';
import { requestQueryables, searchConditions } from './where.ts';

export interface SearchPage {
  items: StacItem[];
  numberReturned: number;
  numberMatched: number;
  numberMatchedEstimated: boolean;
  /** The token of the next page; absent on the last page. */
  next?: string;
}

type KeyedRow = { content: StacItem } & Record<string, unknown>;

/**
 * Matches are counted exactly up to about this many (as the planner expects them); beyond, the estimate is
 * returned. Counting costs about as much as reading every match, so it is kept well below what a search
 * page costs itself.
 */
export const EXACT_SEARCH_COUNT_THRESHOLD = 2_000;

/** How many items `where` matches: exact when the planner expects at most `threshold`, else its flagged estimate. */
export async function countMatches(db: Queryable, where: string, values: readonly unknown[], threshold: number): Promise<{ count: number; estimated: boolean }> {
  const estimate = await plannerRows(db, `SELECT 1 FROM catalog.items ${ITEM_ALIAS} WHERE ${where}`, values);
  if (estimate > threshold) return { count: Math.round(estimate), estimated: true };
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM catalog.items ${ITEM_ALIAS} WHERE ${where}`, values);
  return { count: Number(rows[0]!.n), estimated: false };
}

export async function searchItems(db: Queryable, request: SearchRequest, visibility: Visibility): Promise<SearchPage> {
  const queryables = await requestQueryables(db, request, visibility);
  const params = new SqlParams();
  const resolve = itemPropertyResolver(queryables, params);
  const conditions = searchConditions(request, queryables, visibility, params, resolve);
  // The count reuses the filter's SQL, so it must take exactly the parameters added so far.
  const filterValues = [...params.values];
  const keys = orderKeys(request.sortby, resolve);
  const where = conditions.join(' AND ');
  const paging = request.token === undefined ? '' : ` AND ${afterTokenSql(keys, request.token, params)}`;
  const pageSql = `SELECT ${ITEM_ALIAS}.content, ${keyColumnsSql(keys)}
                     FROM catalog.items ${ITEM_ALIAS}
                    WHERE ${where}${paging}
                    ORDER BY ${orderBySql(keys)}
                    LIMIT ${params.add(request.limit + 1)}`;
  const { rows } = await evaluate(() => db.query<KeyedRow>(pageSql, params.values));
  const page = rows.slice(0, request.limit);
  const last = page[page.length - 1];
  const hasMore = rows.length > request.limit;
  const firstPage = request.token === undefined;
  // A first page that is not full is the whole result: nothing to count.
  const matched = firstPage && !hasMore
    ? { count: page.length, estimated: false }
    : await evaluate(() => countMatches(db, where, filterValues, EXACT_SEARCH_COUNT_THRESHOLD));
  return {
    items: page.map((row) => row.content),
    numberReturned: page.length,
    numberMatched: matched.count,
    numberMatchedEstimated: matched.estimated,
    ...(hasMore && last ? { next: encodeToken(keys, keys.map((_, i) => last[`k${i}`] ?? null)) } : {}),
  };
}
