import type { AssetRow, ReleaseRow } from './release-store.ts';

/** Absolute URLs into Meridian's own APIs for a completed release (contract: status `services`). */
export function serviceUrls(publicUrl: string, asset: AssetRow, release: ReleaseRow): Record<string, string | null> {
  const { outputs } = release;
  const stacCollection = outputs.stac_collection_id ? `${publicUrl}/api/stac/collections/${outputs.stac_collection_id}` : null;
  const stacItem = stacCollection && outputs.stac_item_id ? `${stacCollection}/items/${outputs.stac_item_id}` : null;
  if (asset.data_type === 'vector' && outputs.table_name) {
    const collection = `${publicUrl}/api/features/collections/${outputs.table_name}`;
    return {
      service_url: collection,
      preview: `${collection}/items?limit=10`,
      viewer: `${publicUrl}/view/vector/${outputs.table_name}`,
      tiles: `${collection}/tiles/WebMercatorQuad/{z}/{x}/{y}.pbf`,
      stac_collection: stacCollection,
      stac_item: stacItem,
    };
  }
  const collectionId = outputs.stac_collection_id;
  const itemId = outputs.stac_item_id;
  if (!collectionId || !itemId) {
    // A raster collection is served as a mosaic search registered by its job; the STAC collection lists it.
    return { service_url: stacCollection, preview: null, viewer: null, tiles: null, stac_collection: stacCollection, stac_item: null };
  }
  const raster = `${publicUrl}/api/raster/collections/${collectionId}/items/${itemId}`;
  return {
    service_url: `${raster}/tilejson.json`,
    preview: `${raster}/preview.png`,
    viewer: `${publicUrl}/view/raster/${collectionId}/${itemId}`,
    tiles: `${raster}/tiles/WebMercatorQuad/{z}/{x}/{y}.png`,
    stac_collection: stacCollection,
    stac_item: stacItem,
  };
}

/** The services of a release while it has any: completed and not unpublished; null otherwise. */
export function releaseServices(publicUrl: string, asset: AssetRow, release: ReleaseRow): Record<string, string | null> | null {
  return release.processing_status === 'completed' && release.unpublished_at === null ? serviceUrls(publicUrl, asset, release) : null;
}

/** Where a reviewer looks at a release before approving it. */
export function viewerUrl(publicUrl: string, asset: AssetRow, release: ReleaseRow): string | null {
  return serviceUrls(publicUrl, asset, release).viewer ?? null;
}
