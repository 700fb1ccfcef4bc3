/**
 * The raster task handlers, built from the server's resources. `raster_process` serves both jobs: a
 * process_raster task takes its file from the job parameters, a collection's fan-out task from its item.
 */
import type { TaskHandler, TaskInput } from '@meridian/orchestrator';
import { collectionInventory, fileParameters, registerCollectionMosaic, type CollectionFile } from './collection-tasks.ts';
import type { RasterDeps } from './deps.ts';
import { RASTER_TASK_TYPES } from './job-types.ts';
import type { ProcessRasterCollectionParameters, ProcessRasterParameters, UnpublishRasterParameters } from './parameters.ts';
import { processRaster, type ProcessRasterResult } from './process-raster-task.ts';
import { unpublishRaster } from './unpublish-task.ts';

function processParameters(input: TaskInput): ProcessRasterParameters {
  return input.item === undefined
    ? (input.parameters as ProcessRasterParameters)
    : fileParameters(input.parameters as ProcessRasterCollectionParameters, input.item as CollectionFile);
}

export function rasterTaskHandlers(deps: RasterDeps): TaskHandler[] {
  return [
    {
      taskType: RASTER_TASK_TYPES.process,
      run: (input, ctx) => processRaster(deps, processParameters(input), input.index, ctx),
    },
    {
      taskType: RASTER_TASK_TYPES.inventory,
      run: (input) => collectionInventory(deps, input.parameters as ProcessRasterCollectionParameters),
    },
    {
      taskType: RASTER_TASK_TYPES.register,
      run: (input) => registerCollectionMosaic(deps, input.parameters as ProcessRasterCollectionParameters, (input.items ?? []) as ProcessRasterResult[]),
    },
    {
      taskType: RASTER_TASK_TYPES.unpublish,
      run: (input, ctx) => unpublishRaster(deps, input.parameters as UnpublishRasterParameters, ctx),
    },
  ];
}
