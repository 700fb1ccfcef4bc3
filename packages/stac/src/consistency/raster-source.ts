/**
 * Rasters: the rows of app.raster_metadata (one per published COG), their COG blobs, and their STAC items
 * (same collection and item id). The item document is the raster ETL's to build, so rebuilding a missing
 * item is a function the composition root passes in; without it, missing items are only reported.
 */
import type { Queryable } from '@meridian/db';
import { upsertItems } from '../items.ts';
import type { Classification, StacItem } from '../types.ts';
import { blobExists } from './asset-source.ts';
import type { CheckContext, ConsistencySource, Finding } from './types.ts';

const PAGE = 500;

/** Builds the STAC item of a raster_metadata row again, with the classification it should have. */
export type RebuildRasterItem = (db: Queryable, collectionId: string, itemId: string, publicUrl: string) => Promise<{ item: StacItem; classification: Classification } | undefined>;

interface RasterRow {
  collection_id: string;
  item_id: string;
  container: string;
  blob_path: string;
  has_item: boolean;
}

export function rasterSource(options: { rebuildItem?: RebuildRasterItem } = {}): ConsistencySource {
  return {
    name: 'raster',
    async available({ db }) {
      const { rows } = await db.query<{ ok: boolean }>("SELECT to_regclass('app.raster_metadata') IS NOT NULL AS ok");
      return rows[0]!.ok;
    },
    async check(ctx: CheckContext) {
      const findings: Finding[] = [];
      let checked = 0;
      let after: [string, string] = ['', ''];
      for (;;) {
        const { rows } = await ctx.db.query<RasterRow>(
          `SELECT r.collection_id, r.item_id, r.container, r.blob_path, (i.id IS NOT NULL) AS has_item
             FROM app.raster_metadata r
             LEFT JOIN catalog.items i ON i.collection = r.collection_id AND i.id = r.item_id
            WHERE (r.collection_id, r.item_id) > ($1, $2)
            ORDER BY r.collection_id, r.item_id LIMIT ${PAGE}`,
          after,
        );
        for (const row of rows) {
          ctx.signal?.throwIfAborted();
          checked += 1;
          const subject = `${row.collection_id}/${row.item_id}`;
          if (!(await blobExists(ctx.store, row.container, row.blob_path))) {
            findings.push({ source: 'raster', kind: 'raster_metadata_blob_missing', subject, detail: `the COG ${row.container}/${row.blob_path} does not exist` });
            continue;
          }
          if (row.has_item) continue;
          const finding: Finding = { source: 'raster', kind: 'raster_without_stac_item', subject, detail: 'the COG is published but has no STAC item' };
          const rebuilt = ctx.repair && options.rebuildItem ? await options.rebuildItem(ctx.db, row.collection_id, row.item_id, ctx.publicUrl) : undefined;
          if (rebuilt) {
            await ctx.db.transaction((tx) => upsertItems(tx, row.collection_id, [rebuilt.item], rebuilt.classification));
            finding.repaired = 'item_created';
          }
          findings.push(finding);
        }
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1]!;
        after = [last.collection_id, last.item_id];
      }
      return { checked, findings };
    },
  };
}
