/**
 * Queryables: the item properties a filter, a sortby, a `query` or an aggregation may name, each with a
 * JSON Schema type. The core set is the same for every collection; a collection adds the properties its
 * `summaries` describe (a list of values, a range, or a JSON Schema), typed from what they hold.
 */
import type { JsonObject } from './types.ts';

export type QueryableSchema = JsonObject;
export type Queryables = Record<string, QueryableSchema>;

const DATE_TIME = { type: 'string', format: 'date-time' };

/** Properties stored in their own indexed columns (plus `geometry`). */
export const COLUMN_QUERYABLES: Queryables = {
  id: { title: 'Item id', type: 'string' },
  collection: { title: 'Collection id', type: 'string' },
  geometry: { title: 'Geometry', $ref: 'https://geojson.org/schema/Geometry.json', 'x-ogc-role': 'primary-geometry' },
  datetime: { title: 'Acquisition time (the start of a range)', ...DATE_TIME, 'x-ogc-role': 'primary-instant' },
  start_datetime: { title: 'Start of the time range', ...DATE_TIME },
  end_datetime: { title: 'End of the time range', ...DATE_TIME },
};

/** STAC common metadata and the platform contract's properties, queryable in every collection. */
export const CORE_QUERYABLES: Queryables = {
  ...COLUMN_QUERYABLES,
  title: { title: 'Title', type: 'string' },
  created: { title: 'Created', ...DATE_TIME },
  updated: { title: 'Updated', ...DATE_TIME },
  platform: { title: 'Platform', type: 'string' },
  constellation: { title: 'Constellation', type: 'string' },
  mission: { title: 'Mission', type: 'string' },
  instruments: { title: 'Instruments', type: 'array', items: { type: 'string' } },
  gsd: { title: 'Ground sample distance', type: 'number' },
  'eo:cloud_cover': { title: 'Cloud cover (%)', type: 'number', minimum: 0, maximum: 100 },
  'proj:code': { title: 'Projection code', type: 'string' },
  'platform:dataset_id': { title: 'Dataset id', type: 'string' },
  'platform:resource_id': { title: 'Resource id', type: 'string' },
  'platform:version_id': { title: 'Version id', type: 'string' },
};

/** A property name a summary may declare: printable, no quotes or spaces, at most 100 characters. */
const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_:.-]{0,99}$/;

function valueType(values: unknown[]): QueryableSchema | undefined {
  if (values.length === 0) return undefined;
  if (values.every((v) => typeof v === 'number')) return { type: 'number' };
  if (values.every((v) => typeof v === 'boolean')) return { type: 'boolean' };
  if (values.every((v) => typeof v === 'string')) {
    return values.every((v) => !Number.isNaN(Date.parse(v as string)) && /^\d{4}-\d\d-\d\dT/.test(v as string)) ? { ...DATE_TIME } : { type: 'string' };
  }
  if (values.every((v) => Array.isArray(v) && v.every((e) => typeof e === 'string'))) return { type: 'array', items: { type: 'string' } };
  return undefined;
}

function fromSummary(summary: unknown): QueryableSchema | undefined {
  if (Array.isArray(summary)) return valueType(summary);
  if (!summary || typeof summary !== 'object') return undefined;
  const s = summary as JsonObject;
  if ('minimum' in s && 'maximum' in s) {
    const type = valueType([s.minimum, s.maximum]);
    return type?.type === 'number' ? { ...type, minimum: s.minimum, maximum: s.maximum } : type;
  }
  const type = s.type;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') {
    return { type: type === 'integer' ? 'number' : type, ...(s.format === 'date-time' ? { format: 'date-time' } : {}) };
  }
  return undefined;
}

/** The queryables a collection adds to the core set, from its summaries (core names keep their core type). */
export function collectionQueryables(collection: JsonObject): Queryables {
  const summaries = collection.summaries;
  const out: Queryables = {};
  if (!summaries || typeof summaries !== 'object') return out;
  for (const [name, summary] of Object.entries(summaries as JsonObject)) {
    if (!PROPERTY_NAME.test(name) || name in CORE_QUERYABLES) continue;
    const schema = fromSummary(summary);
    if (schema) out[name] = { title: name, ...schema };
  }
  return out;
}

/**
 * The queryables of several collections together: the core set plus every collection's own; a name two
 * collections type differently is left out, since no one SQL type fits both.
 */
export function mergeQueryables(perCollection: readonly Queryables[]): Queryables {
  const merged: Queryables = { ...CORE_QUERYABLES };
  const conflicting = new Set<string>();
  for (const queryables of perCollection) {
    for (const [name, schema] of Object.entries(queryables)) {
      const existing = merged[name];
      if (existing && (existing.type !== schema.type || existing.format !== schema.format)) conflicting.add(name);
      else if (!existing) merged[name] = schema;
    }
  }
  for (const name of conflicting) if (!(name in CORE_QUERYABLES)) delete merged[name];
  return merged;
}
