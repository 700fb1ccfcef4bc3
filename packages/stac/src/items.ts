/**
 * The repository of STAC items: the one place items are written. Every write validates the documents,
 * fills the search columns and widens the collection's extent. Batches are written by one statement over a
 * JSON array (one round trip, parsed by the server), so a rejected batch writes nothing.
 */
import { MeridianError } from '@meridian/core';
import { isDbError, type Queryable } from '@meridian/db';
import { widenCollectionExtent } from './collection-extent.ts';
import { itemRow, type ItemRow } from './documents.ts';
import { mergePatch } from './merge-patch.ts';
import { visibleSql } from '@meridian/db';
import type { Classification, StacItem, StoredItem, Visibility } from './types.ts';

/** The most items one call (and one bulk request) may write. */
export const MAX_BATCH_ITEMS = 10_000;

function itemNotFound(collection: string, id: string): MeridianError {
  return new MeridianError('STAC_ITEM_NOT_FOUND', `collection "${collection.slice(0, 100)}" has no item "${id.slice(0, 100)}" you can see`, { collection: collection.slice(0, 100), item: id.slice(0, 100) });
}

function collectionNotFound(collection: string): MeridianError {
  return new MeridianError('STAC_COLLECTION_NOT_FOUND', `collection "${collection.slice(0, 100)}" does not exist`, { collection: collection.slice(0, 100) });
}

/** Validates a batch; an item's position is named in the error so a client can find it in a large batch. */
function batchRows(collectionId: string, inputs: readonly unknown[]): ItemRow[] {
  if (inputs.length > MAX_BATCH_ITEMS) {
    throw new MeridianError('VALIDATION_ERROR', `at most ${MAX_BATCH_ITEMS} items per request, got ${inputs.length}; split the batch`, { field: 'features' });
  }
  const seen = new Set<string>();
  return inputs.map((input, index) => {
    let row: ItemRow;
    try {
      row = itemRow(input, collectionId);
    } catch (error) {
      if (error instanceof MeridianError && inputs.length > 1) {
        throw new MeridianError(error.code, `features[${index}]: ${error.message}`, { ...error.extra, index }, { cause: error });
      }
      throw error;
    }
    if (seen.has(row.id)) throw new MeridianError('VALIDATION_ERROR', `features[${index}]: item id "${row.id}" appears twice in the batch`, { index, field: 'id' });
    seen.add(row.id);
    return row;
  });
}

/** The batch as the JSON array the write statements read: {i: id, d, s, e: datetimes, c: content}. */
function batchJson(rows: readonly ItemRow[]): string {
  return JSON.stringify(rows.map((r) => ({ i: r.id, d: r.datetime, s: r.startDatetime, e: r.endDatetime, c: r.content })));
}

const FROM_BATCH = `
  SELECT $1::text, r->>'i', ST_SetSRID(ST_GeomFromGeoJSON(NULLIF(r->'c'->'geometry', 'null'::jsonb)), 4326),
         (r->>'d')::timestamptz, (r->>'s')::timestamptz, (r->>'e')::timestamptz, r->'c', $3::text, $4::boolean
    FROM jsonb_array_elements($2::jsonb) AS r`;

const INSERT_INTO = 'INSERT INTO catalog.items (collection, id, geometry, datetime, start_datetime, end_datetime, content, access_level, served)';

/** Maps the constraint errors of an item write to what they mean for the caller. */
async function writing<T>(collectionId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDbError(error, '23503')) throw collectionNotFound(collectionId);
    if (isDbError(error, '23505')) {
      const id = /\(collection, id\)=\([^,]*, (.*)\) already exists/.exec(error.detail ?? '')?.[1];
      throw new MeridianError('STAC_ITEM_EXISTS', `collection "${collectionId}" has an item "${(id ?? '?').slice(0, 100)}" already; nothing was written`, { collection: collectionId, ...(id ? { item: id.slice(0, 100) } : {}) });
    }
    throw error;
  }
}

/**
 * Creates items (POST semantics): STAC_ITEM_EXISTS if any id is taken, and then none is written. Run it in
 * a transaction so the extent update and the insert commit together.
 */
export async function insertItems(db: Queryable, collectionId: string, inputs: readonly unknown[], classification: Classification): Promise<ItemRow[]> {
  const rows = batchRows(collectionId, inputs);
  if (rows.length === 0) return rows;
  await writing(collectionId, () => db.query(`${INSERT_INTO} ${FROM_BATCH}`, [collectionId, batchJson(rows), classification.accessLevel, classification.served]));
  await widenCollectionExtent(db, collectionId, rows);
  return rows;
}

/**
 * Creates or replaces items (the ETL's write): a replaced item keeps its classification, a new one gets
 * `classification`. Returns how many were new.
 */
export async function upsertItems(db: Queryable, collectionId: string, inputs: readonly unknown[], classification: Classification): Promise<{ created: number; replaced: number }> {
  const rows = batchRows(collectionId, inputs);
  if (rows.length === 0) return { created: 0, replaced: 0 };
  const result = await writing(collectionId, () => db.query<{ created: boolean }>(
    `${INSERT_INTO} ${FROM_BATCH}
     ON CONFLICT (collection, id) DO UPDATE SET geometry = EXCLUDED.geometry, datetime = EXCLUDED.datetime,
       start_datetime = EXCLUDED.start_datetime, end_datetime = EXCLUDED.end_datetime, content = EXCLUDED.content
     RETURNING (xmax = 0) AS created`,
    [collectionId, batchJson(rows), classification.accessLevel, classification.served],
  ));
  await widenCollectionExtent(db, collectionId, rows);
  const created = result.rows.filter((r) => r.created).length;
  return { created, replaced: rows.length - created };
}

/** Replaces an existing item (PUT); its classification stays. */
export async function replaceItem(db: Queryable, collectionId: string, itemId: string, input: unknown): Promise<StacItem> {
  const [row] = batchRows(collectionId, [input]);
  if (row!.id !== itemId) throw new MeridianError('VALIDATION_ERROR', `the body's id "${row!.id}" differs from the id in the URI "${itemId}"`, { field: 'id' });
  // The batch reader yields classification columns too; an update leaves the item's own untouched.
  const { rowCount } = await db.query(
    `UPDATE catalog.items AS t SET geometry = b.geometry, datetime = b.datetime, start_datetime = b.start_datetime,
            end_datetime = b.end_datetime, content = b.content
       FROM (${FROM_BATCH}) AS b (collection, id, geometry, datetime, start_datetime, end_datetime, content, access_level, served)
      WHERE t.collection = b.collection AND t.id = b.id`,
    [collectionId, batchJson([row!]), 'ouo', false],
  );
  if (rowCount === 0) throw itemNotFound(collectionId, itemId);
  await widenCollectionExtent(db, collectionId, [row!]);
  return row!.content;
}

/** Applies a JSON merge patch to an item (PATCH); run it in a transaction. */
export async function patchItem(tx: Queryable, collectionId: string, itemId: string, patch: unknown): Promise<StacItem> {
  const { rows } = await tx.query<{ content: StacItem }>('SELECT content FROM catalog.items WHERE collection = $1 AND id = $2 FOR UPDATE', [collectionId, itemId]);
  if (!rows[0]) throw itemNotFound(collectionId, itemId);
  return replaceItem(tx, collectionId, itemId, mergePatch(rows[0].content, patch));
}

export async function deleteItem(db: Queryable, collectionId: string, itemId: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM catalog.items WHERE collection = $1 AND id = $2', [collectionId, itemId]);
  if (rowCount === 0) throw itemNotFound(collectionId, itemId);
}

/** Changes who may see an item (the platform's approval, revocation and unpublishing). */
export async function setItemClassification(db: Queryable, collectionId: string, itemId: string, classification: Classification): Promise<void> {
  const { rowCount } = await db.query('UPDATE catalog.items SET access_level = $3, served = $4 WHERE collection = $1 AND id = $2', [collectionId, itemId, classification.accessLevel, classification.served]);
  if (rowCount === 0) throw itemNotFound(collectionId, itemId);
}

/** One item, or undefined when it does not exist or `visibility` may not see it (or its collection). */
export async function getItem(db: Queryable, collectionId: string, itemId: string, visibility: Visibility): Promise<StoredItem | undefined> {
  const { rows } = await db.query<{ content: StacItem; access_level: 'public' | 'ouo'; served: boolean }>(
    `SELECT i.content, i.access_level, i.served
       FROM catalog.items i JOIN catalog.collections c ON c.id = i.collection
      WHERE i.collection = $1 AND i.id = $2 AND ${visibleSql('i', visibility)} AND ${visibleSql('c', visibility)}`,
    [collectionId, itemId],
  );
  const row = rows[0];
  return row && { item: row.content, collection: collectionId, accessLevel: row.access_level, served: row.served };
}
