/**
 * `unpublish_raster`: removes a processed raster — the item named and the other tiers made from the same
 * source file in the same collection: their COGs and thumbnails (every file in their folders), metadata
 * rows and STAC items — then shrinks the collection's extent to what is left. The inventory is
 * checkpointed before anything is deleted, and every step is idempotent, so a retry finishes the job.
 * `dry_run` returns the inventory and deletes nothing. Source uploads are never touched.
 */
import { MeridianError } from '@meridian/core';
import type { TaskContext } from '@meridian/orchestrator';
import { deleteItem, getItem, recomputeCollectionExtent } from '@meridian/stac';
import type { RasterDeps } from './deps.ts';
import { deleteRasterMetadata, getRasterMetadata } from './metadata-repository.ts';
import { TIERS, type UnpublishRasterParameters } from './parameters.ts';
import { itemFolder } from './publish.ts';
import { keysUnder } from './blob-keys.ts';

export interface UnpublishInventory {
  collection_id: string;
  items: { item_id: string; tier: string; stac_item: boolean; metadata_row: boolean; container: string; blobs: string[] }[];
}

export interface UnpublishResult {
  dry_run: boolean;
  would_delete?: UnpublishInventory;
  deleted?: UnpublishInventory;
}

async function inventory(deps: RasterDeps, p: UnpublishRasterParameters): Promise<UnpublishInventory> {
  const primary = await getRasterMetadata(deps.db, p.collection_id, p.item_id);
  if (!primary) throw new MeridianError('RASTER_ITEM_NOT_FOUND', `collection "${p.collection_id}" has no processed raster "${p.item_id}"`, { collection: p.collection_id, item: p.item_id });
  const siblings = [];
  for (const tier of TIERS) {
    const sibling = await getRasterMetadata(deps.db, p.collection_id, `${p.item_id}-${tier}`);
    const sameSource = sibling && sibling.source.container === primary.source.container && sibling.source.blobName === primary.source.blobName;
    if (sameSource) siblings.push(sibling);
  }
  const items = [];
  for (const m of [primary, ...siblings]) {
    items.push({
      item_id: m.itemId,
      tier: m.tier,
      stac_item: (await getItem(deps.db, m.collectionId, m.itemId, 'reviewer')) !== undefined,
      metadata_row: true,
      container: m.container,
      blobs: await keysUnder(deps.store, m.container, itemFolder(m.collectionId, m.itemId)),
    });
  }
  return { collection_id: p.collection_id, items };
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
