/**
 * What `unpublish_raster` removes when it is given the items by name (`item_ids`): every item a release
 * made — each file of a raster collection, each tier of an `output_tier: all` raster — with its COG and
 * thumbnail folder, metadata row and STAC item. Items already gone are left out, so unpublishing again
 * finds nothing left and succeeds.
 */
import { MeridianError } from '@meridian/core';
import { getItem } from '@meridian/stac';
import type { RasterDeps } from './deps.ts';
import { getRasterMetadataMany } from './metadata-repository.ts';
import type { UnpublishRasterParameters } from './parameters.ts';
import { itemFolder } from './publish.ts';
import { keysUnder } from './blob-keys.ts';
import type { RasterMetadata } from './raster-metadata.ts';
import type { UnpublishInventory } from './unpublish-task.ts';

/** One item of the inventory: whether its STAC item exists, and every blob in its folder. */
export async function inventoryEntry(deps: RasterDeps, m: RasterMetadata): Promise<UnpublishInventory['items'][number]> {
  return {
    item_id: m.itemId,
    tier: m.tier,
    stac_item: (await getItem(deps.db, m.collectionId, m.itemId, 'reviewer')) !== undefined,
    metadata_row: true,
    container: m.container,
    blobs: await keysUnder(deps.store, m.container, itemFolder(m.collectionId, m.itemId)),
  };
}

/** The named items that still exist, in the order given. */
export async function listedItemsInventory(deps: RasterDeps, collectionId: string, itemIds: readonly string[]): Promise<UnpublishInventory> {
  const found = await getRasterMetadataMany(deps.db, itemIds.map((itemId) => ({ collectionId, itemId })));
  const byId = new Map(found.map((m) => [m.itemId, m]));
  const items = [];
  for (const id of itemIds) {
    const m = byId.get(id);
    if (m) items.push(await inventoryEntry(deps, m));
  }
  return { collection_id: collectionId, items };
}

/** item_id (one raster and its tiers) or item_ids (exactly these), not both or neither. */
export function unpublishTarget(p: UnpublishRasterParameters): { itemId: string } | { itemIds: string[] } {
  if ((p.item_id === undefined) === (p.item_ids === undefined)) {
    throw new MeridianError('JOB_PARAMETERS_INVALID', 'give either item_id (one raster and its tiers) or item_ids (exactly these items), not both or neither', { parameter: 'item_ids' });
  }
  return p.item_id !== undefined ? { itemId: p.item_id } : { itemIds: p.item_ids! };
}
