import {
  BUILTIN_HANDLERS,
  BUILTIN_JOB_TYPES,
  HandlerRegistry,
  JobCatalog,
  JobService,
  Worker,
  listWorkers,
  queueBacklog,
} from '@meridian/orchestrator';
import { RASTER_JOB_TYPES, VECTOR_JOB_TYPES, rasterTaskHandlers, rebuildRasterItem, vectorTaskHandlers } from '@meridian/etl';
import { CATALOG_JOB_TYPES, catalogTaskHandlers, consistencySources } from '@meridian/stac';
import { exportPublicJob, exportTaskHandlers } from '@meridian/platform';
import type { Runtime } from './runtime.ts';
import type { HealthContributor } from './http/routes/health.ts';

/**
 * Where the server composes the job engine: which job types it accepts (declarations only — enough for
 * the API) and which task handlers its workers run. ETL packages add theirs here.
 */
export function jobCatalog(): JobCatalog {
  return new JobCatalog([...BUILTIN_JOB_TYPES, ...RASTER_JOB_TYPES, ...VECTOR_JOB_TYPES, ...CATALOG_JOB_TYPES, exportPublicJob]);
}

/** Handlers are built from the runtime's resources (database, blob store, configuration, log). */
export function taskHandlers(runtime: Runtime): HandlerRegistry {
  return new HandlerRegistry([...BUILTIN_HANDLERS, ...rasterTaskHandlers(runtime), ...vectorTaskHandlers(runtime), ...catalogTaskHandlers(runtime, { rebuildRasterItem }), ...exportTaskHandlers(runtime)]);
}

/** What the consistency checker compares, with the raster ETL's builder so `--repair` can rebuild raster items. */
export function catalogConsistencySources(): ReturnType<typeof consistencySources> {
  return consistencySources({ rebuildRasterItem });
}

export function jobService(runtime: Runtime): JobService {
  return new JobService(runtime.db, jobCatalog(), runtime.version);
}

export interface WorkerChoice {
  /** `--task-types` globs; default all. */
  taskTypes?: string;
  concurrency: number;
}

export async function startWorker(runtime: Runtime, choice: WorkerChoice): Promise<Worker> {
  const worker = new Worker({
    db: runtime.db,
    handlers: taskHandlers(runtime),
    log: runtime.log,
    appVersion: runtime.version,
    timing: runtime.config.jobs,
    concurrency: choice.concurrency,
    ...(choice.taskTypes ? { taskTypes: choice.taskTypes } : {}),
  });
  await worker.start();
  return worker;
}

/** The `workers` and `queue` sections of /api/health. */
export function jobHealthContributors(runtime: Runtime): Record<string, HealthContributor> {
  // Three missed heartbeats and a worker counts as gone.
  const aliveWithinMs = runtime.config.jobs.heartbeatMs * 3;
  return {
    async workers() {
      const rows = await listWorkers(runtime.db, aliveWithinMs);
      const alive = rows.filter((w) => w.alive);
      return {
        alive: alive.length,
        busy: alive.reduce((n, w) => n + w.busy, 0),
        slots: alive.reduce((n, w) => n + w.concurrency, 0),
        last_heartbeat: rows.reduce<Date | null>((latest, w) => (!latest || w.last_heartbeat > latest ? w.last_heartbeat : latest), null)?.toISOString() ?? null,
        workers: rows.map((w) => ({
          worker_id: w.worker_id,
          alive: w.alive,
          busy: w.busy,
          concurrency: w.concurrency,
          task_types: w.task_types,
          app_version: w.app_version,
          last_heartbeat: w.last_heartbeat.toISOString(),
        })),
      };
    },
    async queue() {
      const rows = await queueBacklog(runtime.db);
      return {
        ready: rows.reduce((n, r) => n + r.ready, 0),
        pending_retry: rows.reduce((n, r) => n + r.pending_retry, 0),
        processing: rows.reduce((n, r) => n + r.processing, 0),
        by_task_type: rows.map((r) => ({ ...r, oldest_ready_at: r.oldest_ready_at?.toISOString() ?? null })),
      };
    },
  };
}
