/**
 * The STAC item of a published COG, built again from its metadata row — for the catalog's consistency
 * check (packages/stac), which repairs a raster whose item went missing. The item inherits its
 * collection's classification; its title, which only the lost item held, becomes its id.
 */
import type { Queryable } from '@meridian/db';
import { getCollection, type Classification, type StacItem } from '@meridian/stac';
import { getRasterMetadata } from './metadata-repository.ts';
import { thumbnailKeyOf } from './publish.ts';
import { rasterItem } from './stac-item.ts';

/** A classification nobody but reviewers sees, for an item whose collection is gone as well. */
const UNSERVED: Classification = { accessLevel: 'ouo', served: false };

export async function rebuildRasterItem(db: Queryable, collectionId: string, itemId: string, publicUrl: string): Promise<{ item: StacItem; classification: Classification } | undefined> {
  const metadata = await getRasterMetadata(db, collectionId, itemId);
  if (!metadata) return undefined;
  const collection = await getCollection(db, collectionId, 'reviewer');
  const item = rasterItem({ metadata, title: itemId, thumbnailKey: thumbnailKeyOf(metadata.blobPath), publicUrl, now: new Date().toISOString() });
  return { item, classification: collection ? { accessLevel: collection.accessLevel, served: collection.served } : UNSERVED };
}
