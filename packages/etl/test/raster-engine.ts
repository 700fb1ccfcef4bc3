/**
 * The real job engine around the raster handlers, for tests and benchmarks: the raster job types in a
 * catalog, their handlers in a worker polling fast, and a JobService to submit and wait.
 */
import { BUILTIN_JOB_TYPES, HandlerRegistry, JobCatalog, JobService, Worker, type JobDetail } from '@meridian/orchestrator';
import { RASTER_JOB_TYPES, rasterTaskHandlers } from '../src/index.ts';
import type { RasterDeps } from '../src/raster/deps.ts';
import { silentLog } from './raster-support.ts';

export interface RasterEngine {
  service: JobService;
  worker: Worker;
  /** Submits and waits for the job to end. */
  runJob(jobType: string, parameters: Record<string, unknown>): Promise<JobDetail>;
  stop(): Promise<void>;
}

export async function startRasterEngine(deps: RasterDeps, concurrency = 2): Promise<RasterEngine> {
  const service = new JobService(deps.db, new JobCatalog([...BUILTIN_JOB_TYPES, ...RASTER_JOB_TYPES]), 'test');
  const worker = new Worker({
    db: deps.db,
    handlers: new HandlerRegistry(rasterTaskHandlers(deps)),
    log: silentLog,
    appVersion: 'test',
    timing: { ...deps.config.jobs, pollMs: 50, heartbeatMs: 200, retryBaseMs: 50, shutdownGraceMs: 5_000 },
    concurrency,
    janitor: false,
  });
  await worker.start();
  return {
    service,
    worker,
    async runJob(jobType, parameters) {
      const { job } = await service.submit(jobType, parameters);
      return service.waitFor(job.job_id, { pollMs: 50 });
    },
    stop: () => worker.stop(),
  };
}
