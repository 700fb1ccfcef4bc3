/**
 * The raster job types, as data (what the jobs API validates against). Task types start with `raster_`
 * so workers can be dedicated to them (`meridian worker --task-types 'raster_*'`).
 */
import { defineJobType } from '@meridian/orchestrator';
import { processRasterCollectionParameters, processRasterParameters, unpublishRasterParameters } from './parameters.ts';

export const RASTER_TASK_TYPES = {
  process: 'raster_process',
  inventory: 'raster_collection_inventory',
  register: 'raster_collection_register',
  unpublish: 'raster_unpublish',
} as const;

export const processRasterJob = defineJobType({
  name: 'process_raster',
  version: 1,
  description: 'Converts a GeoTIFF into Cloud-Optimized GeoTIFF(s) per output tier, with metadata and a STAC item per COG.',
  parameters: processRasterParameters,
  stages: [{ name: 'process', taskType: RASTER_TASK_TYPES.process, fan: 'single' }],
  maxRetries: 2,
});

export const processRasterCollectionJob = defineJobType({
  name: 'process_raster_collection',
  version: 1,
  description: 'Processes a list or a prefix of GeoTIFFs into one STAC collection (one task per file) and registers a mosaic search with a stable id.',
  parameters: processRasterCollectionParameters,
  stages: [
    { name: 'inventory', taskType: RASTER_TASK_TYPES.inventory, fan: 'single' },
    // One bad file does not sink the collection: the job ends completed_with_errors and the mosaic covers the rest.
    { name: 'process', taskType: RASTER_TASK_TYPES.process, fan: 'fan_out', allowFailures: true },
    { name: 'register', taskType: RASTER_TASK_TYPES.register, fan: 'fan_in' },
  ],
  maxRetries: 2,
});

export const unpublishRasterJob = defineJobType({
  name: 'unpublish_raster',
  version: 1,
  description: 'Removes a processed raster: its COGs and thumbnails, metadata rows and STAC items (dry_run lists them only).',
  parameters: unpublishRasterParameters,
  stages: [{ name: 'unpublish', taskType: RASTER_TASK_TYPES.unpublish, fan: 'single' }],
});

export const RASTER_JOB_TYPES = [processRasterJob, processRasterCollectionJob, unpublishRasterJob] as const;
