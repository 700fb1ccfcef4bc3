/**
 * Rendered vector tiles kept in memory, least recently used out first, bounded in bytes. The key holds
 * the collection's catalog version (its row and its table: see collection-cache.ts), so a reload, an
 * overwrite or any catalog change makes new keys and a kept tile is never served for other data. A kept
 * tile still answers only a caller the guard admits: whether the collection is current and visible to
 * this caller is asked of the database on every request, as for a 304 — the one query of a hit.
 */
import { LruCache } from '@meridian/core';
import type { Db, Visibility } from '@meridian/db';
import { STALE, isCurrent, type Stale } from './collection-cache.ts';
import { checkTileAddress, type TileAddress } from './tile-matrix.ts';
import type { VectorCollection } from './vector-catalog.ts';
import { renderTile } from './vector-tiles.ts';

/** An empty tile is kept too (as no bytes): it costs a render to find out. */
const EMPTY = Buffer.alloc(0);

export class VectorTileCache {
  readonly #tiles: LruCache<string, Buffer>;

  constructor(maxBytes: number) {
    // Each entry also costs its key and bookkeeping: about a hundred bytes.
    this.#tiles = new LruCache(maxBytes, (tile) => tile.length + 100);
  }

  /** As renderTile: the tile's bytes, undefined when empty, STALE when `collection` is no longer current for `visibility`. */
  async tile(db: Db, collection: VectorCollection, tile: TileAddress, visibility: Visibility): Promise<Buffer | undefined | Stale> {
    checkTileAddress(tile);
    const key = `${collection.id}\u0000${collection.catalogVersion}\u0000${tile.z}/${tile.x}/${tile.y}`;
    const kept = this.#tiles.get(key);
    if (kept !== undefined) {
      if (!(await isCurrent(db, collection, visibility))) return STALE;
      return kept.length > 0 ? kept : undefined;
    }
    const rendered = await renderTile(db, collection, tile, visibility);
    if (rendered !== STALE && this.#tiles.maxWeight > 0) this.#tiles.set(key, rendered ?? EMPTY);
    return rendered;
  }
}
