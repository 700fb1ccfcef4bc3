/**
 * Walks every STAC item that may point at Meridian's own data (blobs or vector tables), in pages (keyset
 * on collection, id), so a catalog of millions of items is checked with flat memory.
 */
import type { Queryable } from '@meridian/db';
import type { MeridianHref } from '../hrefs.ts';
import type { JsonObject } from '../types.ts';

const PAGE = 1_000;

export interface ScannedItem {
  collection: string;
  id: string;
  /** The item's assets and links (all the scan reads). */
  content: { assets?: Record<string, JsonObject>; links?: JsonObject[] };
}

export async function* itemsWithTargets(db: Queryable, kind: MeridianHref['kind']): AsyncGenerator<ScannedItem> {
  // A cheap text test selects the candidates; callers parse their hrefs properly.
  const marker = kind === 'blob' ? '%/api/storage/%' : '%/api/features/collections/%';
  let after: [string, string] = ['', ''];
  for (;;) {
    const { rows } = await db.query<ScannedItem>(
      `SELECT collection, id, jsonb_build_object('assets', content->'assets', 'links', content->'links') AS content
         FROM catalog.items
        WHERE (collection, id) > ($1, $2) AND content::text LIKE $3
        ORDER BY collection, id LIMIT ${PAGE}`,
      [after[0], after[1], marker],
    );
    yield* rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [last.collection, last.id];
  }
}
