/**
 * Collection search (`GET /collections` with `q`, `bbox`, `datetime`, `limit`, `token`): the collections
 * whose text, spatial extent and temporal extent match, in id order, paged by keyset on the id.
 */
import { MeridianError, type Cql2 } from '@meridian/core';
import { DEFAULT_CRS, SqlParams, bboxSql, parseDatetime } from '@meridian/catalog';
import type { Queryable } from '@meridian/db';
import { COLLECTION_COLUMNS, toStoredCollection } from './collections.ts';
import { parseBbox, parseDatetimeParameter, parseLimit } from './search/request.ts';
import { visibleSql } from '@meridian/db';
import type { StoredCollection, Visibility } from './types.ts';

export const DEFAULT_COLLECTION_LIMIT = 100;
export const MAX_COLLECTION_LIMIT = 1_000;
export const COLLECTION_SEARCH_PARAMETERS = ['q', 'bbox', 'datetime', 'limit', 'token'] as const;

export interface CollectionSearch {
  /** Free-text terms; a collection matches when any of them occurs in its title, description, keywords or id. */
  q?: string[];
  bbox?: number[];
  datetime?: string;
  limit: number;
  token?: string;
}

export interface CollectionPage {
  collections: StoredCollection[];
  numberMatched: number;
  next?: string;
}

export function parseCollectionSearch(query: Record<string, unknown>): CollectionSearch {
  const known: ReadonlySet<string> = new Set(COLLECTION_SEARCH_PARAMETERS);
  for (const [name, value] of Object.entries(query)) {
    if (!known.has(name)) {
      throw new MeridianError('UNKNOWN_PARAMETER', `unknown parameter "${name.slice(0, 100)}"; accepted: ${COLLECTION_SEARCH_PARAMETERS.join(', ')}`, { field: name.slice(0, 100) });
    }
    if (typeof value !== 'string') throw new MeridianError('VALIDATION_ERROR', `${name} must be given once, as text`, { field: name });
  }
  const text = query as Record<string, string | undefined>;
  const limit = text.limit === undefined ? DEFAULT_COLLECTION_LIMIT : parseLimit(text.limit, MAX_COLLECTION_LIMIT);
  const terms = text.q?.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return {
    limit,
    ...(terms && terms.length > 0 ? { q: terms.map((t) => t.slice(0, 200)) } : {}),
    ...(text.bbox !== undefined ? { bbox: parseBbox(text.bbox) } : {}),
    ...(text.datetime !== undefined ? { datetime: parseDatetimeParameter(text.datetime) } : {}),
    ...(text.token !== undefined ? { token: text.token } : {}),
  };
}

function boundSql(bound: Cql2.IntervalBound, params: SqlParams): string {
  const b = bound as Cql2.DateLiteral | Cql2.TimestampLiteral;
  return `${params.add('date' in b ? `${b.date}T00:00:00Z` : b.timestamp)}::timestamptz`;
}

function decodeToken(token: string): string {
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (id === '' || id.length > 255) throw new MeridianError('INVALID_PAGING_TOKEN');
  return id;
}

export async function searchCollections(db: Queryable, search: CollectionSearch, visibility: Visibility): Promise<CollectionPage> {
  const params = new SqlParams();
  const conditions = [visibleSql('c', visibility)];
  if (search.q) conditions.push(`(${search.q.map((term) => `strpos(c.search_text, lower(${params.add(term)}::text)) > 0`).join(' OR ')})`);
  if (search.bbox) conditions.push(`ST_Intersects(c.spatial_extent, ${bboxSql(search.bbox, DEFAULT_CRS, params)})`);
  if (search.datetime !== undefined) {
    const parsed = parseDatetime(search.datetime);
    const [start, end] = 'interval' in parsed ? parsed.interval : [parsed, parsed];
    if (start !== '..') conditions.push(`(c.temporal_end IS NULL OR c.temporal_end >= ${boundSql(start, params)})`);
    if (end !== '..') conditions.push(`(c.temporal_start IS NULL OR c.temporal_start <= ${boundSql(end, params)})`);
  }
  const where = conditions.join(' AND ');
  const countValues = [...params.values];
  const after = search.token === undefined ? '' : ` AND c.id > ${params.add(decodeToken(search.token))}`;
  const { rows } = await db.query<Parameters<typeof toStoredCollection>[0]>(
    `SELECT ${COLLECTION_COLUMNS} FROM catalog.collections c WHERE ${where}${after} ORDER BY c.id LIMIT ${params.add(search.limit + 1)}`,
    params.values,
  );
  const { rows: counted } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.collections c WHERE ${where}`, countValues);
  const page = rows.slice(0, search.limit).map(toStoredCollection);
  const last = page[page.length - 1];
  return {
    collections: page,
    numberMatched: counted[0]!.n,
    ...(rows.length > search.limit && last ? { next: Buffer.from(last.collection.id).toString('base64url') } : {}),
  };
}
