/**
 * The collection job's own tasks (F2.7): the inventory lists the GeoTIFFs (a list or a prefix) and hands
 * one item per file to the `raster_process` fan-out; the register task, after all files, stores the
 * mosaic search over the collection. The search is stored as a request — `{collections: [id]}` — and
 * named by the hash of that request's canonical JSON, so its id never changes with the software and
 * adding rasters to the collection later keeps the same mosaic URL. With an `item_id_prefix` (one version
 * of a platform release) the request also lists the items, so each version has its own mosaic.
 */
import { MeridianError } from '@meridian/core';
import { registerSearch } from '@meridian/stac';
import type { RasterDeps } from './deps.ts';
import { itemIdFromBlob } from './item-ids.ts';
import type { ProcessRasterCollectionParameters, ProcessRasterParameters } from './parameters.ts';
import type { ProcessRasterResult } from './process-raster-task.ts';
import { checkSourceBlob, isGeoTiffName } from './source.ts';
import { keysUnder } from './blob-keys.ts';
import { assertCollectionExists } from './publish.ts';

/** One file of the collection: the fan-out item of a `raster_process` task. */
export interface CollectionFile {
  blob_name: string;
  item_id: string;
}

export interface CollectionResult {
  collection_id: string;
  search_id: string;
  /** The mosaic of the whole collection in the raster API; the URL stays when rasters are added. */
  mosaic_tilejson: string;
  files_processed: number;
  item_ids: string[];
  outputs: ProcessRasterResult['outputs'];
}

/** The parameters one file's `raster_process` task works with. */
export function fileParameters(collection: ProcessRasterCollectionParameters, file: CollectionFile): ProcessRasterParameters {
  const { blob_names: _names, prefix: _prefix, item_id_prefix: _itemIdPrefix, ...shared } = collection;
  return { ...shared, blob_name: file.blob_name, item_id: file.item_id };
}

export async function collectionInventory(deps: RasterDeps, p: ProcessRasterCollectionParameters): Promise<CollectionFile[]> {
  if ((p.blob_names === undefined) === (p.prefix === undefined)) {
    throw new MeridianError('JOB_PARAMETERS_INVALID', 'give either blob_names (a list of GeoTIFFs) or prefix (every GeoTIFF under it), not both or neither', { parameter: 'blob_names' });
  }
  if (p.collection_must_exist) await assertCollectionExists(deps.db, p.collection_id);
  let names: string[];
  if (p.blob_names) {
    for (const key of p.blob_names) await checkSourceBlob(deps.store, { container: p.container_name, key }, deps.config.raster.maxInputBytes);
    names = p.blob_names;
  } else {
    names = (await keysUnder(deps.store, p.container_name, p.prefix!)).filter(isGeoTiffName);
    if (names.length === 0) throw new MeridianError('FILE_NOT_FOUND', `there is no .tif or .tiff file under "${p.prefix}" in container "${p.container_name}"`, { container: p.container_name, prefix: p.prefix });
  }
  const byId = new Map<string, string>();
  for (const name of names) {
    const id = itemIdFromBlob(name, p.item_id_prefix);
    const other = byId.get(id);
    if (other) throw new MeridianError('JOB_PARAMETERS_INVALID', `"${other}" and "${name}" would both become item "${id}"; rename one of them`, { parameter: 'blob_names' });
    byId.set(id, name);
  }
  return [...byId].map(([itemId, blobName]) => ({ blob_name: blobName, item_id: itemId }));
}

export async function registerCollectionMosaic(deps: RasterDeps, p: ProcessRasterCollectionParameters, results: readonly ProcessRasterResult[]): Promise<CollectionResult> {
  const itemIds = results.flatMap((r) => r.item_ids);
  const { searchId } = await registerSearch(deps.db, p.item_id_prefix ? { collections: [p.collection_id], ids: itemIds } : { collections: [p.collection_id] });
  return {
    collection_id: p.collection_id,
    search_id: searchId,
    mosaic_tilejson: `${deps.config.publicUrl.replace(/\/+$/, '')}/api/raster/searches/${searchId}/tilejson.json`,
    files_processed: results.length,
    item_ids: itemIds,
    outputs: results.flatMap((r) => r.outputs),
  };
}
