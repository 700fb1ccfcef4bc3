/**
 * The STAC item search request, from a GET query string or a POST body, checked and normalized into one
 * SearchRequest. Everything is checked here, before any SQL is written: unknown parameters, malformed
 * bboxes, geometries, datetimes and filters are 400s.
 */
import { MeridianError, parseCql2, type Cql2 } from '@meridian/core';
import { parseDatetime } from '@meridian/catalog';
import type { JsonObject } from '../types.ts';

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 10_000;
const MAX_LIST = 10_000;
const MAX_TOKEN_LENGTH = 2_000;

export interface SortField {
  field: string;
  direction: 'asc' | 'desc';
}

/** The fields extension: `undefined` include means "missing" (all fields); null or [] means the default set. */
export interface FieldsSpec {
  include: string[] | null | undefined;
  exclude: string[];
}

export interface SearchRequest {
  collections?: string[];
  ids?: string[];
  /** 4 or 6 numbers, CRS84; west > east crosses the antimeridian. */
  bbox?: number[];
  intersects?: Cql2.Geometry;
  datetime?: string;
  /** The CQL2 filter, parsed (either encoding gives the same tree). */
  filter?: Cql2.BooleanExpression;
  query?: Record<string, Record<string, unknown>>;
  sortby?: SortField[];
  fields?: FieldsSpec;
  limit: number;
  token?: string;
}

/** The parameters of item search (and their meaning in aggregation, which ignores limit, token, sortby and fields). */
export const SEARCH_PARAMETERS = [
  'collections', 'ids', 'bbox', 'intersects', 'datetime', 'limit', 'token', 'filter', 'filter-lang', 'filter-crs', 'sortby', 'fields', 'query',
] as const;

const CRS84 = ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'https://www.opengis.net/def/crs/OGC/1.3/CRS84'];
const NO_FUNCTIONS: ReadonlySet<string> = new Set();

function invalid(field: string, detail: string): MeridianError {
  return new MeridianError('VALIDATION_ERROR', `${field}: ${detail}`, { field });
}

function stringList(field: string, value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 255)) {
    throw invalid(field, 'expected a list of non-empty strings (comma-separated in a query string)');
  }
  if (list.length > MAX_LIST) throw invalid(field, `at most ${MAX_LIST} values`);
  return list as string[];
}

export function parseBbox(value: unknown): number[] {
  const numbers = typeof value === 'string' ? value.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p))) : value;
  if (!Array.isArray(numbers) || (numbers.length !== 4 && numbers.length !== 6) || !numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new MeridianError('INVALID_BBOX', 'bbox must be 4 (or 6) numbers: west,south,east,north in CRS84');
  }
  const half = numbers.length / 2;
  const [west, south, east, north] = [numbers[0]!, numbers[1]!, numbers[half]!, numbers[half + 1]!];
  if ([west, east].some((x) => x < -180 || x > 180) || [south, north].some((y) => y < -90 || y > 90)) {
    throw new MeridianError('INVALID_BBOX', 'bbox longitudes must be within ±180 and latitudes within ±90');
  }
  if (south > north) throw new MeridianError('INVALID_BBOX', 'the south edge of bbox must not be north of its north edge');
  return numbers as number[];
}

function parseIntersects(value: unknown): Cql2.Geometry {
  const geometry = typeof value === 'string' ? parseJson('intersects', value) : value;
  // The CQL2 JSON parser already checks GeoJSON geometries thoroughly; reuse it.
  const ast = parseCql2({ op: 's_intersects', args: [{ property: 'geometry' }, geometry] }, 'cql2-json') as Cql2.SpatialPredicate;
  return (ast.args[1] as Cql2.GeometryLiteral).geometry;
}

function parseJson(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(field, 'is not valid JSON');
  }
}

export function parseDatetimeParameter(value: unknown): string {
  if (typeof value !== 'string') throw new MeridianError('INVALID_DATETIME', 'datetime must be a string');
  parseDatetime(value);
  return value;
}

/** STAC API: a limit above the maximum is answered with the maximum, not an error. */
export function parseLimit(value: unknown, maximum: number): number {
  const limit = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw invalid('limit', `must be a positive integer (at most ${maximum} are returned)`);
  return Math.min(limit, maximum);
}

function parseFilter(value: unknown, lang: unknown, crs: unknown, fromQueryString: boolean): Cql2.BooleanExpression {
  if (crs !== undefined && !CRS84.includes(String(crs))) throw invalid('filter-crs', `only ${CRS84[0]} is supported`);
  const language = lang ?? (fromQueryString || typeof value === 'string' ? 'cql2-text' : 'cql2-json');
  if (language !== 'cql2-text' && language !== 'cql2-json') throw invalid('filter-lang', 'must be cql2-text or cql2-json');
  const input = language === 'cql2-json' && typeof value === 'string' ? parseJson('filter', value) : value;
  return parseCql2(input, language, { functions: NO_FUNCTIONS });
}

function parseSortby(value: unknown): SortField[] {
  const fields = typeof value === 'string'
    ? value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s): SortField => ({
        field: s.replace(/^[+-]/, ''),
        direction: s.startsWith('-') ? 'desc' : 'asc',
      }))
    : value;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => f && typeof f.field === 'string' && f.field !== '' && (f.direction === undefined || f.direction === 'asc' || f.direction === 'desc'))) {
    throw invalid('sortby', 'expected "+field,-field" (query string) or [{"field": ..., "direction": "asc"|"desc"}]');
  }
  return (fields as SortField[]).map((f) => ({ field: f.field, direction: f.direction ?? 'asc' }));
}

function parseFields(value: unknown): FieldsSpec {
  if (typeof value === 'string') {
    const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const include = names.filter((n) => !n.startsWith('-')).map((n) => n.replace(/^\+/, ''));
    // In a query string an absent include list cannot be told from an empty one: it is empty (the default set).
    return { include: include.length > 0 ? include : null, exclude: names.filter((n) => n.startsWith('-')).map((n) => n.slice(1)) };
  }
  if (value === null) return { include: null, exclude: [] };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('fields', 'expected {"include": [...], "exclude": [...]}');
  const spec = value as JsonObject;
  const list = (name: string) => (spec[name] === undefined || spec[name] === null ? [] : stringList(`fields.${name}`, spec[name]));
  const [include, exclude] = [list('include'), list('exclude')];
  // Only a missing include list next to exclusions means "everything but"; otherwise an empty include is the default set.
  if (include.length > 0) return { include, exclude };
  return { include: spec.include === undefined && exclude.length > 0 ? undefined : null, exclude };
}

const QUERY_OPERATORS: ReadonlySet<string> = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'startsWith', 'endsWith', 'contains', 'in']);

function parseQuery(value: unknown): Record<string, Record<string, unknown>> {
  const query = typeof value === 'string' ? parseJson('query', value) : value;
  if (!query || typeof query !== 'object' || Array.isArray(query)) throw invalid('query', 'expected {"property": {"operator": value}}');
  for (const [property, operations] of Object.entries(query)) {
    if (!operations || typeof operations !== 'object' || Array.isArray(operations)) throw invalid('query', `"${property.slice(0, 100)}" must map operators to values`);
    for (const op of Object.keys(operations)) {
      if (!QUERY_OPERATORS.has(op)) throw invalid('query', `unknown operator "${op.slice(0, 40)}"; use ${[...QUERY_OPERATORS].join(', ')}`);
    }
  }
  return query as Record<string, Record<string, unknown>>;
}

function build(source: JsonObject, fromQueryString: boolean): SearchRequest {
  const known: ReadonlySet<string> = new Set(SEARCH_PARAMETERS);
  for (const name of Object.keys(source)) {
    if (!known.has(name)) {
      throw new MeridianError('UNKNOWN_PARAMETER', `unknown parameter "${name.slice(0, 100)}"; accepted: ${SEARCH_PARAMETERS.join(', ')}`, { field: name.slice(0, 100) });
    }
  }
  const has = (name: string) => source[name] !== undefined && source[name] !== null;
  if (has('bbox') && has('intersects')) throw invalid('intersects', 'give bbox or intersects, not both');
  if (has('token') && (typeof source.token !== 'string' || source.token.length > MAX_TOKEN_LENGTH)) throw new MeridianError('INVALID_PAGING_TOKEN');
  const request: SearchRequest = { limit: has('limit') ? parseLimit(source.limit, MAX_SEARCH_LIMIT) : DEFAULT_SEARCH_LIMIT };
  if (has('collections')) request.collections = stringList('collections', source.collections);
  if (has('ids')) request.ids = stringList('ids', source.ids);
  if (has('bbox')) request.bbox = parseBbox(source.bbox);
  if (has('intersects')) request.intersects = parseIntersects(source.intersects);
  if (has('datetime')) request.datetime = parseDatetimeParameter(source.datetime);
  if (has('filter')) request.filter = parseFilter(source.filter, source['filter-lang'], source['filter-crs'], fromQueryString);
  if (has('query')) request.query = parseQuery(source.query);
  if (has('sortby')) request.sortby = parseSortby(source.sortby);
  if (source.fields !== undefined) request.fields = parseFields(source.fields);
  if (has('token')) request.token = source.token as string;
  return request;
}

/** GET /search: every value is a string (a repeated parameter is an error). */
export function parseSearchQuery(query: Record<string, unknown>): SearchRequest {
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw invalid(name.slice(0, 100), 'is given more than once');
  }
  return build(query, true);
}

/** POST /search: a JSON object. */
export function parseSearchBody(body: unknown): SearchRequest {
  if (body === undefined || body === null) return build({}, false);
  if (typeof body !== 'object' || Array.isArray(body)) throw new MeridianError('VALIDATION_ERROR', 'the search body must be a JSON object');
  return build(body as JsonObject, false);
}
