/**
 * The query parameters of `/collections/{id}/items`, checked and turned into an ItemsQuery. Anything a
 * request names is matched against the collection's published columns here, so nothing unknown ever
 * reaches SQL; a parameter that is neither standard nor a queryable is a 400, as OGC API Features asks.
 */
import { MeridianError, parseCql2, type Cql2 } from '@meridian/core';
import { GEOMETRY_PROPERTY, findColumn } from './collection-properties.ts';
import { parseCrs, type CrsDefinition } from './crs.ts';
import { instantLiteral, parseDatetime } from './datetime.ts';
import type { PublishedColumn, VectorCollection } from './vector-catalog.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 10_000;

/** The standard parameters of the items endpoint; every other one must name a queryable. */
export const ITEMS_PARAMETERS = [
  'limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'sortby', 'properties', 'crs', 'f',
] as const;

/** No CQL2 functions are offered, so the parser rejects any call with its position. */
const NO_FUNCTIONS: ReadonlySet<string> = new Set();

export interface SortKey {
  column: PublishedColumn;
  descending: boolean;
}

export interface ItemsQuery {
  limit: number;
  offset: number;
  /** 4 or 6 numbers in the axis order of bboxCrs. */
  bbox: number[] | undefined;
  bboxCrs: CrsDefinition;
  /** Everything that filters by attributes, as CQL2: datetime, property=value and the `filter` itself. */
  predicates: Cql2.BooleanExpression[];
  filterCrs: CrsDefinition;
  sortby: SortKey[];
  /** The properties to return; undefined means all. */
  properties: PublishedColumn[] | undefined;
  crs: CrsDefinition;
}

type RawQuery = Record<string, unknown>;

function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new MeridianError('VALIDATION_ERROR', `${name.slice(0, 100)} is given more than once`, { field: name.slice(0, 100) });
  return String(value);
}

function integer(query: RawQuery, name: string, fallback: number, min: number, max: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < min || value > max) {
    throw new MeridianError('VALIDATION_ERROR', `${name} must be an integer from ${min} to ${max}`, { field: name });
  }
  return value;
}

function unknownProperty(name: string): MeridianError {
  return new MeridianError('UNKNOWN_PROPERTY', `unknown property '${name.slice(0, 100)}'; the queryables list the collection's properties`, { property: name.slice(0, 100) });
}

function parseBbox(text: string, crs: CrsDefinition): number[] {
  const values = text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if ((values.length !== 4 && values.length !== 6) || !values.every(Number.isFinite)) {
    throw new MeridianError('INVALID_BBOX', `bbox "${text.slice(0, 100)}" must be 4 or 6 comma-separated numbers`);
  }
  const half = values.length / 2;
  const [a, b, c, d] = [values[0]!, values[1]!, values[half]!, values[half + 1]!];
  if (crs.srid !== 4326) {
    if (a > c || b > d) throw new MeridianError('INVALID_BBOX', 'the lower corner of bbox must not exceed its upper corner');
    return values;
  }
  const [west, south, east, north] = crs.latitudeFirst ? [b, a, d, c] : [a, b, c, d];
  if ([west, east].some((x) => x < -180 || x > 180) || [south, north].some((y) => y < -90 || y > 90)) {
    throw new MeridianError('INVALID_BBOX', 'bbox longitudes must be within ±180 and latitudes within ±90 (check the axis order of bbox-crs)');
  }
  if (south > north) throw new MeridianError('INVALID_BBOX', 'the south edge of bbox must not be north of its north edge');
  return values;
}

function parseSortby(text: string, collection: VectorCollection): SortKey[] {
  return text.split(',').map((item) => {
    // A "+" written unencoded in a query string arrives as a space.
    const trimmed = item.trim();
    const descending = trimmed.startsWith('-');
    const name = /^[+-]/.test(trimmed) ? trimmed.slice(1) : trimmed;
    const column = findColumn(collection, name);
    if (!column) throw unknownProperty(name);
    const kind = column.spec.type?.kind;
    if (kind === undefined || kind === 'array' || kind === 'geometry') {
      throw new MeridianError('VALIDATION_ERROR', `sortby: '${name}' cannot be sorted (only numbers, strings, booleans, dates and timestamps)`, { field: 'sortby' });
    }
    return { column, descending };
  });
}

function parseProperties(text: string, collection: VectorCollection): PublishedColumn[] {
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '' && n !== GEOMETRY_PROPERTY);
  return [...new Set(names)].map((name) => {
    const column = findColumn(collection, name);
    if (!column) throw unknownProperty(name);
    return column;
  });
}

/** property=value: an equality on a scalar queryable, the value read as the column's type. */
function propertyFilter(column: PublishedColumn, text: string): Cql2.BooleanExpression {
  const kind = column.spec.type?.kind;
  const invalid = () => new MeridianError('VALIDATION_ERROR', `${column.name}: "${text.slice(0, 100)}" is not a valid ${kind} value`, { field: column.name });
  let value: Cql2.ScalarExpression;
  switch (kind) {
    case 'string':
      value = { literal: text };
      break;
    case 'integer':
    case 'number': {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number) || (kind === 'integer' && !Number.isSafeInteger(number))) throw invalid();
      value = { literal: number };
      break;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw invalid();
      value = { literal: text === 'true' };
      break;
    case 'date':
    case 'timestamp': {
      const instant = instantLiteral(text);
      if (!instant) throw invalid();
      value = instant;
      break;
    }
    default:
      throw new MeridianError('VALIDATION_ERROR', `${column.name} cannot be filtered with a query parameter; use filter`, { field: column.name });
  }
  return { op: '=', args: [{ property: column.name }, value] };
}

function parseFilter(query: RawQuery): Cql2.BooleanExpression | undefined {
  const filter = single(query, 'filter');
  const lang = single(query, 'filter-lang') ?? 'cql2-text';
  if (lang !== 'cql2-text' && lang !== 'cql2-json') {
    throw new MeridianError('VALIDATION_ERROR', 'filter-lang must be cql2-text or cql2-json', { field: 'filter-lang' });
  }
  return filter === undefined ? undefined : parseCql2(filter, lang, { functions: NO_FUNCTIONS });
}

export function parseItemsQuery(query: RawQuery, collection: VectorCollection): ItemsQuery {
  const standard: ReadonlySet<string> = new Set(ITEMS_PARAMETERS);
  const predicates: Cql2.BooleanExpression[] = [];
  for (const name of Object.keys(query)) {
    if (standard.has(name)) continue;
    const column = findColumn(collection, name);
    if (!column) {
      throw new MeridianError('UNKNOWN_PARAMETER', `unknown parameter "${name.slice(0, 100)}"; accepted: ${ITEMS_PARAMETERS.join(', ')} and the collection's queryables`, { field: name.slice(0, 100) });
    }
    predicates.push(propertyFilter(column, single(query, name)!));
  }
  const datetime = single(query, 'datetime');
  if (datetime !== undefined) {
    if (collection.temporalProperty === null) throw new MeridianError('INVALID_DATETIME', `collection ${collection.id} has no temporal property to filter by datetime`);
    predicates.push({ op: 't_intersects', args: [{ property: collection.temporalProperty }, parseDatetime(datetime)] });
  }
  const filter = parseFilter(query);
  if (filter !== undefined) predicates.push(filter);
  const bboxCrs = parseCrs(single(query, 'bbox-crs'), 'bbox-crs');
  const bbox = single(query, 'bbox');
  const sortby = single(query, 'sortby');
  const properties = single(query, 'properties');
  return {
    limit: integer(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    bbox: bbox === undefined ? undefined : parseBbox(bbox, bboxCrs),
    bboxCrs,
    predicates,
    filterCrs: parseCrs(single(query, 'filter-crs'), 'filter-crs'),
    sortby: sortby === undefined || sortby.trim() === '' ? [] : parseSortby(sortby, collection),
    properties: properties === undefined ? undefined : parseProperties(properties, collection),
    crs: parseCrs(single(query, 'crs'), 'crs'),
  };
}
