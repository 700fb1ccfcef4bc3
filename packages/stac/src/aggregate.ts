/**
 * The aggregation extension: counts over the items a search matches instead of the items themselves —
 * total count (exact, or the planner's estimate flagged as such for large results), datetime min/max,
 * and term counts by collection, by datetime interval and by any scalar queryable.
 */
import { EXACT_COUNT_THRESHOLD, SqlParams, evaluate } from '@meridian/catalog';
import { MeridianError } from '@meridian/core';
import type { Queryable } from '@meridian/db';
import type { Queryables } from './queryables.ts';
import { countMatches } from './search/execute.ts';
import { ITEM_ALIAS, itemPropertyResolver } from './search/property-sql.ts';
import { parseSearchBody, parseSearchQuery, type SearchRequest } from './search/request.ts';
import { requestQueryables, searchConditions } from './search/where.ts';
import type { Visibility } from './types.ts';

export const DATETIME_INTERVALS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;
export type DatetimeInterval = (typeof DATETIME_INTERVALS)[number];
/** Term counts return at most this many buckets; the rest is reported as `overflow`. */
export const MAX_BUCKETS = 100;

export interface AggregateRequest {
  search: SearchRequest;
  aggregations: string[] | undefined;
  interval: DatetimeInterval;
}

export interface AggregationDescription {
  name: string;
  data_type: string;
}

export interface Bucket {
  key: string;
  data_type: string;
  frequency: number;
}

export interface Aggregation {
  name: string;
  data_type: string;
  value?: number | string | null;
  buckets?: Bucket[];
  overflow?: number;
  interval?: DatetimeInterval;
  /** True when a total is the planner's estimate rather than an exact count. */
  estimated?: boolean;
}

const SINGLE_VALUES: AggregationDescription[] = [
  { name: 'total_count', data_type: 'integer' },
  { name: 'datetime_min', data_type: 'datetime' },
  { name: 'datetime_max', data_type: 'datetime' },
  { name: 'collection_frequency', data_type: 'string' },
  { name: 'datetime_frequency', data_type: 'datetime' },
];

const NOT_TERMS: ReadonlySet<string> = new Set(['id', 'collection', 'geometry', 'datetime', 'start_datetime', 'end_datetime']);

/** The aggregations available over `queryables`: the fixed ones plus `{property}_frequency` per scalar queryable. */
export function availableAggregations(queryables: Queryables): AggregationDescription[] {
  const terms = Object.entries(queryables)
    .filter(([name, schema]) => !NOT_TERMS.has(name) && ['string', 'number', 'integer', 'boolean'].includes(String(schema.type)))
    .map(([name, schema]) => ({ name: `${name}_frequency`, data_type: schema.format === 'date-time' ? 'datetime' : String(schema.type) }));
  return [...SINGLE_VALUES, ...terms];
}

function splitAggregationParameters(source: Record<string, unknown>): { rest: Record<string, unknown>; aggregations: string[] | undefined; interval: DatetimeInterval } {
  const { aggregations, datetime_frequency_interval: interval, ...rest } = source;
  const names = typeof aggregations === 'string' ? aggregations.split(',').map((a) => a.trim()).filter((a) => a !== '') : aggregations;
  if (names !== undefined && (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))) {
    throw new MeridianError('VALIDATION_ERROR', 'aggregations: expected a list of aggregation names', { field: 'aggregations' });
  }
  const chosen = interval ?? 'month';
  if (!DATETIME_INTERVALS.includes(chosen as DatetimeInterval)) {
    throw new MeridianError('VALIDATION_ERROR', `datetime_frequency_interval must be one of ${DATETIME_INTERVALS.join(', ')}`, { field: 'datetime_frequency_interval' });
  }
  return { rest, aggregations: names as string[] | undefined, interval: chosen as DatetimeInterval };
}

export function parseAggregateQuery(query: Record<string, unknown>): AggregateRequest {
  const { rest, aggregations, interval } = splitAggregationParameters(query);
  return { search: parseSearchQuery(rest), aggregations, interval };
}

export function parseAggregateBody(body: unknown): AggregateRequest {
  const source = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (body !== undefined && body !== null && source !== body) throw new MeridianError('VALIDATION_ERROR', 'the aggregate body must be a JSON object');
  const { rest, aggregations, interval } = splitAggregationParameters(source);
  return { search: parseSearchBody(rest), aggregations, interval };
}

export async function aggregateItems(db: Queryable, request: AggregateRequest, visibility: Visibility): Promise<Aggregation[]> {
  const names = request.aggregations ?? ['total_count', 'datetime_min', 'datetime_max', 'collection_frequency'];
  const termProperties = names.filter((n) => n.endsWith('_frequency')).map((n) => n.slice(0, -'_frequency'.length));
  const queryables = await requestQueryables(db, request.search, visibility, termProperties);
  const available = availableAggregations(queryables);
  for (const name of names) {
    if (!available.some((a) => a.name === name)) {
      throw new MeridianError('VALIDATION_ERROR', `aggregations: "${name.slice(0, 100)}" is not available here; GET the aggregations endpoint for the list`, { field: 'aggregations' });
    }
  }
  const params = new SqlParams();
  const resolve = itemPropertyResolver(queryables, params);
  const where = searchConditions(request.search, queryables, visibility, params, resolve).join(' AND ');
  const from = `FROM catalog.items ${ITEM_ALIAS} WHERE ${where}`;
  const base = [...params.values];
  const run = <R>(sql: string, values: readonly unknown[] = base) => evaluate(() => db.query<R>(sql, values));

  const terms = async (name: string, keySql: string, values: readonly unknown[], dataType: string): Promise<Aggregation> => {
    const { rows } = await run<{ key: string | null; n: number; total: number }>(
      `SELECT key, n::int, (sum(n) OVER ())::int AS total FROM (SELECT (${keySql})::text AS key, count(*) AS n ${from} GROUP BY 1) g ORDER BY n DESC, key LIMIT ${MAX_BUCKETS}`,
      values,
    );
    const buckets = rows.map((r) => ({ key: r.key ?? 'null', data_type: dataType, frequency: r.n }));
    const counted = buckets.reduce((sum, b) => sum + b.frequency, 0);
    return { name, data_type: dataType, buckets, overflow: (rows[0]?.total ?? 0) - counted };
  };

  const results: Aggregation[] = [];
  for (const name of names) {
    if (name === 'total_count') {
      const { count, estimated } = await evaluate(() => countMatches(db, where, base, EXACT_COUNT_THRESHOLD));
      results.push({ name, data_type: 'integer', value: count, estimated });
    } else if (name === 'datetime_min' || name === 'datetime_max') {
      const { rows } = await run<{ v: Date | null }>(`SELECT ${name === 'datetime_min' ? 'min' : 'max'}(${ITEM_ALIAS}.datetime) AS v ${from}`);
      results.push({ name, data_type: 'datetime', value: rows[0]?.v?.toISOString() ?? null });
    } else if (name === 'collection_frequency') {
      results.push(await terms(name, `${ITEM_ALIAS}.collection`, base, 'string'));
    } else if (name === 'datetime_frequency') {
      const values = [...base, request.interval];
      const key = `to_char(date_trunc($${values.length}::text, ${ITEM_ALIAS}.datetime AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
      const aggregation = await terms(name, key, values, 'datetime');
      aggregation.buckets!.sort((a, b) => a.key.localeCompare(b.key));
      results.push({ ...aggregation, interval: request.interval });
    } else {
      const property = name.slice(0, -'_frequency'.length);
      // The property's name is one more parameter after the filter's.
      const termParams = new SqlParams();
      termParams.values.push(...base);
      const resolved = itemPropertyResolver(queryables, termParams)(property)!;
      results.push(await terms(name, resolved.sql, termParams.values, available.find((a) => a.name === name)!.data_type));
    }
  }
  return results;
}
