/**
 * `unpublish_raster`: removes a processed raster — the item named and the other tiers made from the same
 * source file in the same collection, or exactly the items listed (unpublish-items.ts): their COGs and
 * thumbnails (every file in their folders), metadata rows and STAC items — then shrinks the
 * collection's extent to what is left. The inventory is checkpointed before anything is deleted, and
 * every step is idempotent, so a retry finishes the job.
 * `dry_run` returns the inventory and deletes nothing. Source uploads are never touched.
 */
import { MeridianError } from '@meridian/core';
import type { TaskContext } from '@meridian/orchestrator';
import { deleteItem, getItem, recomputeCollectionExtent } from '@meridian/stac';
import type { RasterDeps } from './deps.ts';
import { deleteRasterMetadata, getRasterMetadata } from './metadata-repository.ts';
import { TIERS, type UnpublishRasterParameters } from './parameters.ts';
import { itemFolder } from './publish.ts';
import { inventoryEntry, listedItemsInventory, unpublishTarget } from './unpublish-items.ts';

export interface UnpublishInventory {
  collection_id: string;
  items: { item_id: string; tier: string; stac_item: boolean; metadata_row: boolean; container: string; blobs: string[] }[];
}

export interface UnpublishResult {
  dry_run: boolean;
  would_delete?: UnpublishInventory;
  deleted?: UnpublishInventory;
}

/** One raster by its first item: that item and the other tiers made from the same source file. */
async function rasterInventory(deps: RasterDeps, collectionId: string, itemId: string): Promise<UnpublishInventory> {
  const primary = await getRasterMetadata(deps.db, collectionId, itemId);
  if (!primary) throw new MeridianError('RASTER_ITEM_NOT_FOUND', `collection "${collectionId}" has no processed raster "${itemId}"`, { collection: collectionId, item: itemId });
  const siblings = [];
  for (const tier of TIERS) {
    const sibling = await getRasterMetadata(deps.db, collectionId, `${itemId}-${tier}`);
    const sameSource = sibling && sibling.source.container === primary.source.container && sibling.source.blobName === primary.source.blobName;
    if (sameSource) siblings.push(sibling);
  }
  const items = [];
  for (const m of [primary, ...siblings]) items.push(await inventoryEntry(deps, m));
  return { collection_id: collectionId, items };
}

async function inventory(deps: RasterDeps, p: UnpublishRasterParameters): Promise<UnpublishInventory> {
  const target = unpublishTarget(p);
  return 'itemId' in target ? rasterInventory(deps, p.collection_id, target.itemId) : listedItemsInventory(deps, p.collection_id, target.itemIds);
}

export async function unpublishRaster(deps: RasterDeps, p: UnpublishRasterParameters, ctx: TaskContext): Promise<UnpublishResult> {
  const resumed = ctx.lastCheckpoint?.phase === 'inventoried' ? (ctx.lastCheckpoint.data as UnpublishInventory) : undefined;
  const found = resumed ?? (await inventory(deps, p));
  if (p.dry_run) return { dry_run: true, would_delete: found };
  if (!resumed) await ctx.checkpoint('inventoried', found);
  await deps.db.transaction(async (tx) => {
    for (const item of found.items) {
      if (await getItem(tx, found.collection_id, item.item_id, 'reviewer')) await deleteItem(tx, found.collection_id, item.item_id);
      await deleteRasterMetadata(tx, found.collection_id, item.item_id);
    }
    await recomputeCollectionExtent(tx, found.collection_id);
  });
  for (const item of found.items) {
    await deps.store.deletePrefix(item.container, itemFolder(found.collection_id, item.item_id));
  }
  return { dry_run: false, deleted: found };
}
