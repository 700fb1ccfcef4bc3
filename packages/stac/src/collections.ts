/**
 * The repository of STAC collections: every write validates the document and keeps the search columns
 * (extent, temporal span, free text, queryables) in step with it. Reads take a Visibility; a collection
 * the caller may not see is reported exactly like one that does not exist.
 */
import { MeridianError } from '@meridian/core';
import type { Queryable } from '@meridian/db';
import { collectionColumns } from './collection-columns.ts';
import { collectionDocument } from './documents.ts';
import { mergePatch } from './merge-patch.ts';
import { mergeQueryables, type Queryables } from './queryables.ts';
import { visibleSql } from '@meridian/db';
import type { Classification, StacCollection, StoredCollection, Visibility } from './types.ts';

interface CollectionRow {
  content: StacCollection;
  access_level: 'public' | 'ouo';
  served: boolean;
  updated_at: Date;
}

export const COLLECTION_COLUMNS = 'c.content, c.access_level, c.served, c.updated_at';

export function toStoredCollection(row: CollectionRow): StoredCollection {
  return { collection: row.content, accessLevel: row.access_level, served: row.served, updatedAt: row.updated_at };
}

function notFound(id: string): MeridianError {
  return new MeridianError('STAC_COLLECTION_NOT_FOUND', `collection "${id.slice(0, 100)}" does not exist or is not published`, { collection: id.slice(0, 100) });
}

/** The values of `content, spatial_extent, temporal_start, temporal_end, search_text, queryables`. */
function documentValues(collection: StacCollection): unknown[] {
  const columns = collectionColumns(collection);
  return [
    JSON.stringify(collection), columns.spatialExtent, columns.temporalStart, columns.temporalEnd, columns.searchText,
    JSON.stringify(columns.queryables),
  ];
}

const INSERT = `
  INSERT INTO catalog.collections AS c (id, content, spatial_extent, temporal_start, temporal_end, search_text, queryables, access_level, served)
  VALUES ($1, $2::jsonb, ST_SetSRID(ST_GeomFromGeoJSON($3::text), 4326), $4::timestamptz, $5::timestamptz, $6, $7::jsonb, $8, $9)`;

const SET_DOCUMENT = `content = $2::jsonb, spatial_extent = ST_SetSRID(ST_GeomFromGeoJSON($3::text), 4326),
  temporal_start = $4::timestamptz, temporal_end = $5::timestamptz, search_text = $6, queryables = $7::jsonb`;

/** Inserts a checked collection unless its id is taken; true when it did. */
async function insertCollection(db: Queryable, collection: StacCollection, classification: Classification): Promise<boolean> {
  const { rowCount } = await db.query(`${INSERT} ON CONFLICT (id) DO NOTHING`, [
    collection.id, ...documentValues(collection), classification.accessLevel, classification.served,
  ]);
  return rowCount === 1;
}

/** Creates a collection; STAC_COLLECTION_EXISTS when the id is taken. */
export async function createCollection(db: Queryable, input: unknown, classification: Classification): Promise<StacCollection> {
  const collection = collectionDocument(input);
  if (!(await insertCollection(db, collection, classification))) {
    throw new MeridianError('STAC_COLLECTION_EXISTS', `collection "${collection.id}" exists already`, { collection: collection.id });
  }
  return collection;
}

/** Creates the collection unless one with its id exists (which is then left as it is). */
export async function ensureCollection(db: Queryable, input: unknown, classification: Classification): Promise<{ created: boolean }> {
  return { created: await insertCollection(db, collectionDocument(input), classification) };
}

/**
 * Creates the collection or replaces its document (the ETL's "make sure it exists"); `classification`
 * applies to a new collection only, an existing one keeps its own.
 */
export async function upsertCollection(db: Queryable, input: unknown, classification: Classification): Promise<{ created: boolean }> {
  const collection = collectionDocument(input);
  const { rows } = await db.query<{ created: boolean }>(
    `${INSERT} ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, spatial_extent = EXCLUDED.spatial_extent,
       temporal_start = EXCLUDED.temporal_start, temporal_end = EXCLUDED.temporal_end, search_text = EXCLUDED.search_text,
       queryables = EXCLUDED.queryables
     RETURNING (xmax = 0) AS created`,
    [collection.id, ...documentValues(collection), classification.accessLevel, classification.served],
  );
  return { created: rows[0]!.created };
}

/** Replaces the document of an existing collection (PUT). */
export async function replaceCollection(db: Queryable, id: string, input: unknown): Promise<StacCollection> {
  const collection = collectionDocument(input, id);
  const { rowCount } = await db.query(`UPDATE catalog.collections SET ${SET_DOCUMENT} WHERE id = $1`, [id, ...documentValues(collection)]);
  if (rowCount === 0) throw notFound(id);
  return collection;
}

/** Applies a JSON merge patch to a collection (PATCH); the result must still be a valid collection. */
export async function patchCollection(tx: Queryable, id: string, patch: unknown): Promise<StacCollection> {
  const { rows } = await tx.query<{ content: StacCollection }>('SELECT content FROM catalog.collections WHERE id = $1 FOR NO KEY UPDATE', [id]);
  if (!rows[0]) throw notFound(id);
  return replaceCollection(tx, id, mergePatch(rows[0].content, patch));
}

/** Deletes a collection and its items. */
export async function deleteCollection(db: Queryable, id: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM catalog.collections WHERE id = $1', [id]);
  if (rowCount === 0) throw notFound(id);
}

/** Changes who may see a collection (the platform's approval flow). */
export async function setCollectionClassification(db: Queryable, id: string, classification: Classification): Promise<void> {
  const { rowCount } = await db.query('UPDATE catalog.collections SET access_level = $2, served = $3 WHERE id = $1', [id, classification.accessLevel, classification.served]);
  if (rowCount === 0) throw notFound(id);
}

export async function getCollection(db: Queryable, id: string, visibility: Visibility): Promise<StoredCollection | undefined> {
  const { rows } = await db.query<CollectionRow>(`SELECT ${COLLECTION_COLUMNS} FROM catalog.collections c WHERE c.id = $1 AND ${visibleSql('c', visibility)}`, [id]);
  return rows[0] === undefined ? undefined : toStoredCollection(rows[0]);
}

/** The collection, or STAC_COLLECTION_NOT_FOUND when it does not exist or `visibility` may not see it. */
export async function requireCollection(db: Queryable, id: string, visibility: Visibility): Promise<StoredCollection> {
  const found = await getCollection(db, id, visibility);
  if (!found) throw notFound(id);
  return found;
}

/**
 * The queryables of the named collections (those visible), or of every visible collection when `ids`
 * is undefined, merged with the core set.
 */
export async function queryablesOf(db: Queryable, ids: readonly string[] | undefined, visibility: Visibility): Promise<Queryables> {
  const { rows } = await db.query<{ queryables: Queryables }>(
    `SELECT c.queryables FROM catalog.collections c WHERE ${visibleSql('c', visibility)} AND ($1::text[] IS NULL OR c.id = ANY($1::text[])) ORDER BY c.id`,
    [ids === undefined ? null : [...ids]],
  );
  return mergeQueryables(rows.map((r) => r.queryables));
}
