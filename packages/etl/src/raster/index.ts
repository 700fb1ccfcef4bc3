/**
 * Raster ETL: GeoTIFF → Cloud-Optimized GeoTIFF per tier, typed metadata in app.raster_metadata, a STAC
 * item per COG, raster collections with a stable mosaic search, and unpublishing.
 */
export { RASTER_JOB_TYPES, RASTER_TASK_TYPES, processRasterJob, processRasterCollectionJob, unpublishRasterJob } from './job-types.ts';
export { rasterTaskHandlers } from './handlers.ts';
export type { RasterDeps } from './deps.ts';
export {
  DEFAULT_OUTPUT_CONTAINER, DEFAULT_RASTER_COLLECTION, OUTPUT_TIERS, RASTER_TYPES, TIERS,
  type OutputTier, type ProcessRasterCollectionParameters, type ProcessRasterParameters, type RasterType, type RasterTypeChoice,
  type Tier, type UnpublishRasterParameters,
} from './parameters.ts';
export type { ProcessRasterResult, RasterOutput } from './process-raster-task.ts';
export type { CollectionResult } from './collection-tasks.ts';
export type { UnpublishInventory, UnpublishResult } from './unpublish-task.ts';
export type { RasterBandMetadata, RasterCrs, RasterMetadata, RasterSource, DatetimeSource } from './raster-metadata.ts';
export type { BandHistogram, BandStatistics } from './statistics.ts';
export { getRasterMetadata, getRasterMetadataMany, listRasterMetadata } from './metadata-repository.ts';
export { RASTER_TYPE_PROFILES, type RasterTypeProfile, type Resampling } from './raster-type.ts';
export { COG_MEDIA_TYPE, rasterApiUrls } from './stac-item.ts';
export { rebuildRasterItem } from './rebuild-item.ts';
