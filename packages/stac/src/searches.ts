/**
 * Registered (mosaic) searches: a search request stored once and named by a stable id, which the raster
 * API uses to draw a mosaic of the items it matches. The id is the first 32 hex digits of the SHA-256 of
 * the canonical JSON of the stored request (collections, ids, bbox, intersects, datetime, filter,
 * filter-lang, query, sortby), so it depends on the search itself and never on this software's version;
 * registering the same search again returns the same id.
 */
import { MeridianError, canonicalJson, sha256Hex, type Cql2 } from '@meridian/core';
import type { Queryable } from '@meridian/db';
import { searchItems, type SearchPage } from './search/execute.ts';
import { parseBbox, parseSearchBody, type SearchRequest } from './search/request.ts';
import type { JsonObject, Visibility } from './types.ts';

const STORED_FIELDS = ['collections', 'ids', 'bbox', 'intersects', 'datetime', 'filter', 'filter-lang', 'query', 'sortby'] as const;

export interface RegisteredSearch {
  searchId: string;
  request: JsonObject;
  createdAt: Date;
}

/** The part of a search request a registered search keeps, checked like a POST /search body. */
export function storedSearchRequest(raw: unknown): JsonObject {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new MeridianError('VALIDATION_ERROR', 'a search must be a JSON object');
  const source = raw as JsonObject;
  const request: JsonObject = {};
  for (const field of STORED_FIELDS) if (source[field] !== undefined && source[field] !== null) request[field] = source[field];
  parseSearchBody(request);
  return request;
}

export function searchIdOf(request: JsonObject): string {
  return sha256Hex(canonicalJson(request)).slice(0, 32);
}

/** Stores the search (idempotent) and returns its id. */
export async function registerSearch(db: Queryable, raw: unknown): Promise<{ searchId: string; request: JsonObject; created: boolean }> {
  const request = storedSearchRequest(raw);
  const searchId = searchIdOf(request);
  const { rowCount } = await db.query(
    'INSERT INTO catalog.searches (search_id, request) VALUES ($1, $2::jsonb) ON CONFLICT (search_id) DO NOTHING',
    [searchId, canonicalJson(request)],
  );
  return { searchId, request, created: rowCount === 1 };
}

export async function getRegisteredSearch(db: Queryable, searchId: string): Promise<RegisteredSearch | undefined> {
  if (!/^[0-9a-f]{32}$/.test(searchId)) return undefined;
  const { rows } = await db.query<{ search_id: string; request: JsonObject; created_at: Date }>(
    'SELECT search_id, request, created_at FROM catalog.searches WHERE search_id = $1',
    [searchId],
  );
  const row = rows[0];
  return row && { searchId: row.search_id, request: row.request, createdAt: row.created_at };
}

/**
 * The items of a registered search that intersect `within` (a tile's bbox, CRS84), one page at a time, in
 * the search's order: what a mosaic draws.
 */
export async function registeredSearchItems(
  db: Queryable,
  searchId: string,
  page: { within?: number[]; limit: number; token?: string },
  visibility: Visibility,
): Promise<SearchPage> {
  const stored = await getRegisteredSearch(db, searchId);
  if (!stored) throw new MeridianError('STAC_SEARCH_NOT_FOUND', `no search is registered as "${searchId.slice(0, 64)}"`, { search_id: searchId.slice(0, 64) });
  const request: SearchRequest = { ...parseSearchBody(stored.request), limit: page.limit, ...(page.token ? { token: page.token } : {}) };
  if (page.within) {
    const tile: Cql2.BooleanExpression = { op: 's_intersects', args: [{ property: 'geometry' }, { bbox: parseBbox(page.within) as Cql2.Bbox }] };
    request.filter = request.filter ? { op: 'and', args: [request.filter, tile] } : tile;
  }
  return searchItems(db, request, visibility);
}
