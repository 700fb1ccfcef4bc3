/**
 * Vector ETL: a vector file in the bronze zone → a PostGIS table in schema geo (streamed through
 * ogr2ogr, chunked and idempotent), its catalog row, revision and STAC item; and unpublishing.
 */
export { VECTOR_JOB_TYPES, VECTOR_TASK_TYPES, processVectorJob, unpublishVectorJob } from './job-types.ts';
export { vectorTaskHandlers, type VectorDeps } from './handlers.ts';
export {
  DEFAULT_VECTOR_COLLECTION, processVectorParameters, unpublishVectorParameters, targetTableName,
  type ProcessVectorParameters, type UnpublishVectorParameters,
} from './parameters.ts';
export { DEFAULT_LOAD_OPTIONS, type LoadOptions, type LoadResult } from './load-stage.ts';
export type { LoadPlan, PlannedColumn } from './validate-stage.ts';
export type { VectorJobResult } from './finalize-stage.ts';
export { vectorInventory, type VectorInventory, type UnpublishResult as VectorUnpublishResult } from './unpublish-stage.ts';
export type { VectorWarning, VectorWarningCode } from './warnings.ts';
export { ID_COLUMN, GEOMETRY_COLUMN, BATCH_COLUMN } from './column-names.ts';
