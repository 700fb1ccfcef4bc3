import { setTableServed } from '@meridian/catalog';
import { MeridianError } from '@meridian/core';
import type { Db, Queryable } from '@meridian/db';
import type { ReleaseRow, ServingHooks } from '@meridian/platform';
import { getCollection, patchItem, setCollectionClassification, setItemClassification } from '@meridian/stac';

type Level = 'public' | 'ouo';

/**
 * What approving and revoking a release changes on the read surfaces, through their repositories: the
 * catalog row of each vector table it produced, its STAC item (classification and `platform:*`
 * properties) and the item's collection. Every read surface checks these flags on each request and no
 * process keeps rendered tiles in memory, so flipping them serves or unserves the release everywhere at
 * once (shared HTTP caches may still hold public tiles for their max-age).
 */
export class PlatformServing implements ServingHooks {
  constructor(private readonly db: Db) {}

  async serve(release: ReleaseRow, level: Level): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of catalogRows(release)) await setTableServed(tx, table, true, level);
      const collectionId = release.outputs.stac_collection_id;
      if (!collectionId) return;
      for (const itemId of itemIds(release)) {
        await setItemClassification(tx, collectionId, itemId, { accessLevel: level, served: true });
        await patchItem(tx, collectionId, itemId, { properties: platformProperties(release) });
      }
      await this.serveCollection(tx, collectionId, level);
    });
  }

  async unserve(release: ReleaseRow): Promise<void> {
    const level: Level = release.clearance_state === 'public' ? 'public' : 'ouo';
    await this.db.transaction(async (tx) => {
      for (const table of catalogRows(release)) await setTableServed(tx, table, false, level);
      const collectionId = release.outputs.stac_collection_id;
      if (!collectionId) return;
      for (const itemId of itemIds(release)) await ignoreMissing(setItemClassification(tx, collectionId, itemId, { accessLevel: level, served: false }));
    });
  }

  /** A served collection stays as open as its most open served item: public wins over ouo. */
  private async serveCollection(tx: Queryable, collectionId: string, level: Level): Promise<void> {
    const current = await getCollection(tx, collectionId, 'reviewer');
    if (!current) return;
    const accessLevel: Level = current.served && current.accessLevel === 'public' ? 'public' : level;
    await setCollectionClassification(tx, collectionId, { accessLevel, served: true });
  }
}

/** The catalog rows of the release: its tables and their split views. */
function catalogRows(release: ReleaseRow): string[] {
  return [...(release.outputs.table_names ?? []), ...(release.outputs.views ?? [])];
}

/** Every STAC item of the release: all the job reported, else the one derived at submission. */
function itemIds(release: ReleaseRow): string[] {
  const { stac_item_ids: reported, stac_item_id: derived } = release.outputs;
  return reported ?? (derived ? [derived] : []);
}

function platformProperties(release: ReleaseRow): Record<string, unknown> {
  const submission = release.submission as { datasetId?: string; resourceId?: string };
  return {
    'platform:dataset_id': submission.datasetId ?? null,
    'platform:resource_id': submission.resourceId ?? null,
    'platform:version_id': release.version_id,
  };
}

/** An unpublished release has no STAC item left to hide. */
async function ignoreMissing(change: Promise<void>): Promise<void> {
  try {
    await change;
  } catch (error) {
    if (!(error instanceof MeridianError && error.code === 'STAC_ITEM_NOT_FOUND')) throw error;
  }
}
