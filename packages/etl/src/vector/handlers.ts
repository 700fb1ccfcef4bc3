/**
 * The vector task handlers, built from the server's resources (database, blob store, configuration, log).
 */
import type { Config } from '@meridian/config';
import type { Db } from '@meridian/db';
import type { EngineLogger, TaskHandler } from '@meridian/orchestrator';
import type { BlobStore } from '@meridian/storage';
import { assertLoadResult, finalizeStage } from './finalize-stage.ts';
import { VECTOR_TASK_TYPES } from './job-types.ts';
import { DEFAULT_LOAD_OPTIONS, loadStage, type LoadOptions } from './load-stage.ts';
import type { ProcessVectorParameters, UnpublishVectorParameters } from './parameters.ts';
import { unpublishStage } from './unpublish-stage.ts';
import { validateSource, type LoadPlan } from './validate-stage.ts';

export interface VectorDeps {
  db: Db;
  store: BlobStore;
  config: Config;
  log: EngineLogger;
  /** Chunk size and the largest feature; tests make them small. */
  load?: LoadOptions;
}

export function vectorTaskHandlers(deps: VectorDeps): TaskHandler[] {
  const { db, store, config } = deps;
  return [
    {
      taskType: VECTOR_TASK_TYPES.validate,
      run: (input, ctx) => validateSource({ db, store, home: config.home, maxInputBytes: config.vector.maxInputBytes }, input.parameters as ProcessVectorParameters, ctx.signal),
    },
    {
      taskType: VECTOR_TASK_TYPES.load,
      run: (input, ctx) => loadStage({ db, store, home: config.home }, input.item as LoadPlan, ctx, deps.load ?? DEFAULT_LOAD_OPTIONS),
    },
    {
      taskType: VECTOR_TASK_TYPES.finalize,
      run: (input, ctx) => finalizeStage({ db, publicUrl: config.publicUrl }, assertLoadResult(input.items), input.parameters as ProcessVectorParameters, ctx),
    },
    {
      taskType: VECTOR_TASK_TYPES.unpublish,
      run: (input, ctx) => unpublishStage(db, input.parameters as UnpublishVectorParameters, ctx.jobId),
    },
  ];
}
