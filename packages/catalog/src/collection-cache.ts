/**
 * Collection metadata kept in memory between requests, so the hot read paths (items pages, tiles) need no
 * catalog query of their own. An entry is never trusted by itself: the data query carries a guard — the
 * catalog row is still the version the entry was read from and the caller may still see it — evaluated in
 * the same snapshot as the data. Any answer other than a success with the guard holding (a failed guard,
 * an error) is checked again with metadata read afresh, so an approval, a revocation or a reload made by
 * any process takes effect for the very next query, and nothing is served or refused on stale metadata.
 */
import { visibleSql, type Queryable, type Visibility } from '@meridian/db';
import { SqlParams } from './sql-params.ts';
import { CATALOG_VERSION_SQL, getVisibleCollection, type VectorCollection } from './vector-catalog.ts';

/** What a guarded query returns when the collection is no longer as read (changed, hidden or gone). */
export const STALE = Symbol('stale collection');
export type Stale = typeof STALE;

/** Entries per database handle (one per collection and visibility in use); the oldest go first. */
const MAX_ENTRIES = 1000;
/** Reads when the catalog row keeps changing between the metadata and the data query. */
const MAX_ATTEMPTS = 3;

const caches = new WeakMap<Queryable, Map<string, VectorCollection>>();

function cacheOf(db: Queryable): Map<string, VectorCollection> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** SQL that is true while `collection`'s catalog row and table are unchanged and `visibility` may see it. */
export function catalogGuardSql(collection: VectorCollection, visibility: Visibility, params: SqlParams): string {
  return `EXISTS (SELECT 1 FROM geo.table_catalog c WHERE c.table_name = ${params.add(collection.id)}::text
    AND ${CATALOG_VERSION_SQL} = ${params.add(collection.catalogVersion)}::text AND ${visibleSql('c', visibility)})`;
}

/** Whether `collection` is still current and visible to `visibility` (for answers that run no data query). */
export async function isCurrent(db: Queryable, collection: VectorCollection, visibility: Visibility): Promise<boolean> {
  const params = new SqlParams();
  const { rows } = await db.query<{ fresh: boolean }>(`SELECT ${catalogGuardSql(collection, visibility, params)} AS fresh`, params.values);
  return rows[0]!.fresh;
}

async function load(db: Queryable, key: string, id: string, visibility: Visibility): Promise<VectorCollection | undefined> {
  const cache = cacheOf(db);
  const collection = await getVisibleCollection(db, id, visibility);
  cache.delete(key);
  if (collection) {
    cache.set(key, collection);
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return collection;
}

/**
 * Runs `run` with collection `id` as `visibility` sees it: undefined when it does not exist or may not be
 * seen. `run` must check the collection with catalogGuardSql (or isCurrent) and return STALE when the
 * guard fails; it then runs again with the metadata read afresh.
 */
export async function withVisibleCollection<T>(
  db: Queryable, id: string, visibility: Visibility, run: (collection: VectorCollection) => Promise<T | Stale>,
): Promise<T | undefined> {
  const key = `${visibility}\u0000${id}`;
  for (let attempt = 1; ; attempt++) {
    const cached = cacheOf(db).get(key);
    const collection = cached ?? (await load(db, key, id, visibility));
    if (!collection) return undefined;
    let result: T | Stale;
    try {
      result = await run(collection);
    } catch (error) {
      // An error on cached metadata may come from the metadata being stale, and must not tell a caller
      // about a collection it may no longer see: it only stands once the metadata is fresh.
      if (!cached) throw error;
      cacheOf(db).delete(key);
      continue;
    }
    if (result !== STALE) return result;
    cacheOf(db).delete(key);
    // The row changed between reading it and the data query, again and again: answer as if it were gone.
    if (attempt === MAX_ATTEMPTS) return undefined;
  }
}
