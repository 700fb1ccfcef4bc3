/**
 * STAC items and the blobs their assets point at (`/api/storage/{container}/{key}` hrefs). An item whose
 * data asset is gone describes nothing and is removed by a repair; a missing thumbnail or overview is only
 * reported.
 */
import { isValidContainer, isValidKey, type BlobStore } from '@meridian/storage';
import { parseMeridianHref } from '../hrefs.ts';
import { deleteItem } from '../items.ts';
import { itemsWithTargets } from './item-scan.ts';
import type { CheckContext, ConsistencySource, Finding } from './types.ts';

const AUXILIARY_ROLES: ReadonlySet<string> = new Set(['thumbnail', 'overview']);

/** A name the store would refuse cannot exist in it. */
export async function blobExists(store: BlobStore, container: string, key: string): Promise<boolean> {
  return isValidContainer(container) && isValidKey(key) && (await store.head({ container, key })) !== null;
}

export const assetSource: ConsistencySource = {
  name: 'stac-assets',
  async available() {
    return true;
  },
  async check(ctx: CheckContext) {
    const findings: Finding[] = [];
    let checked = 0;
    for await (const item of itemsWithTargets(ctx.db, 'blob')) {
      ctx.signal?.throwIfAborted();
      let dataMissing = false;
      for (const [key, asset] of Object.entries(item.content.assets ?? {})) {
        const target = typeof asset.href === 'string' ? parseMeridianHref(asset.href) : undefined;
        if (target?.kind !== 'blob') continue;
        checked += 1;
        if (await blobExists(ctx.store, target.container, target.key)) continue;
        const roles = Array.isArray(asset.roles) ? (asset.roles as string[]) : [];
        const auxiliary = roles.length > 0 && roles.every((r) => AUXILIARY_ROLES.has(r));
        dataMissing ||= !auxiliary;
        findings.push({
          source: 'stac-assets',
          kind: auxiliary ? 'stac_item_asset_missing' : 'stac_item_data_missing',
          subject: `${item.collection}/${item.id}`,
          detail: `asset "${key}" points at ${target.container}/${target.key}, which does not exist`,
        });
      }
      if (dataMissing && ctx.repair) {
        await deleteItem(ctx.db, item.collection, item.id);
        const own = findings.filter((f) => f.subject === `${item.collection}/${item.id}` && f.kind === 'stac_item_data_missing');
        for (const finding of own) finding.repaired = 'item_deleted';
      }
    }
    return { checked, findings };
  },
};
