/**
 * The consistency check as a job: `catalog_consistency_check`, one task that runs every source and stores
 * the report. A scheduler (cron calling `meridian catalog check --submit`, or any client of the jobs API)
 * submits it with `scheduled_for` set to the period it covers; the job id is derived from the parameters,
 * so several schedulers submitting the same period make one job.
 */
import { Type } from 'typebox';
import type { Config } from '@meridian/config';
import type { Db } from '@meridian/db';
import { defineJobType, type EngineLogger, type TaskHandler } from '@meridian/orchestrator';
import type { BlobStore } from '@meridian/storage';
import { assetSource } from './asset-source.ts';
import { runConsistencyCheck } from './checker.ts';
import { rasterSource, type RebuildRasterItem } from './raster-source.ts';
import type { ConsistencySource } from './types.ts';
import { vectorSource } from './vector-source.ts';

export const CONSISTENCY_TASK_TYPE = 'catalog_consistency_check';

export const catalogConsistencyJob = defineJobType({
  name: 'catalog_consistency_check',
  version: 1,
  description: 'Compares the STAC catalog with the vector tables, raster metadata and blobs it describes; reports orphans in each direction and, with repair, rebuilds missing items and removes items whose data is gone.',
  parameters: Type.Object(
    {
      repair: Type.Boolean({ default: false, description: 'Rebuild missing STAC items and delete items whose data is gone' }),
      scheduled_for: Type.String({ maxLength: 64, default: '', description: 'The period this run covers (e.g. 2026-01-31T06); a new value makes a new job' }),
    },
    { additionalProperties: false },
  ),
  stages: [{ name: 'check', taskType: CONSISTENCY_TASK_TYPE, fan: 'single' }],
  // A check that fails on a transient error is simply run again by the next schedule.
  maxRetries: 1,
});

export const CATALOG_JOB_TYPES = [catalogConsistencyJob];

/** What the handlers are built from (the server passes its runtime). */
export interface CatalogDeps {
  db: Db;
  store: BlobStore;
  config: Config;
  log: EngineLogger;
}

/** The sources in the order they run; the raster source rebuilds items only when given the ETL's builder. */
export function consistencySources(options: { rebuildRasterItem?: RebuildRasterItem } = {}): ConsistencySource[] {
  return [vectorSource, rasterSource(options.rebuildRasterItem ? { rebuildItem: options.rebuildRasterItem } : {}), assetSource];
}

export function catalogTaskHandlers(deps: CatalogDeps, options: { rebuildRasterItem?: RebuildRasterItem } = {}): TaskHandler[] {
  return [
    {
      taskType: CONSISTENCY_TASK_TYPE,
      async run(input, ctx) {
        const { repair } = input.parameters as { repair: boolean };
        const report = await runConsistencyCheck(
          { db: deps.db, store: deps.store, publicUrl: deps.config.publicUrl, repair, log: ctx.log, signal: ctx.signal },
          consistencySources(options),
        );
        return { report_id: report.reportId, repair, sources: report.sources, totals: report.totals };
      },
    },
  ];
}
