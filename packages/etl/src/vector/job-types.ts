/**
 * The vector job types, as data (what the jobs API validates against). Task types start with `vector_`
 * so workers can be dedicated to them (`meridian worker --task-types 'vector_*'`).
 */
import { defineJobType } from '@meridian/orchestrator';
import { processVectorParameters, unpublishVectorParameters } from './parameters.ts';
import { VECTOR_MAX_RETRIES } from './staging-cleanup.ts';

export const VECTOR_TASK_TYPES = {
  validate: 'vector_validate',
  load: 'vector_load',
  finalize: 'vector_finalize',
  unpublish: 'vector_unpublish',
} as const;

export const processVectorJob = defineJobType({
  name: 'process_vector',
  version: 1,
  description: 'Loads a vector file (GeoJSON, Shapefile, GeoPackage, KML/KMZ, CSV, FlatGeobuf, …) into a PostGIS table in schema geo, published as OGC API Features and vector tiles with a STAC item.',
  parameters: processVectorParameters,
  stages: [
    { name: 'validate', taskType: VECTOR_TASK_TYPES.validate, fan: 'single' },
    // The validate result (the load plan) is the one item this stage fans out over.
    { name: 'load', taskType: VECTOR_TASK_TYPES.load, fan: 'fan_out' },
    { name: 'finalize', taskType: VECTOR_TASK_TYPES.finalize, fan: 'fan_in' },
  ],
  maxRetries: VECTOR_MAX_RETRIES,
});

export const unpublishVectorJob = defineJobType({
  name: 'unpublish_vector',
  version: 1,
  description: 'Removes a loaded vector table: its table(s), split views, catalog rows and STAC items (dry_run lists them only).',
  parameters: unpublishVectorParameters,
  stages: [{ name: 'unpublish', taskType: VECTOR_TASK_TYPES.unpublish, fan: 'single' }],
});

export const VECTOR_JOB_TYPES = [processVectorJob, unpublishVectorJob] as const;
