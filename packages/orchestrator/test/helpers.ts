import type { JobEngineConfig } from '@meridian/config';
import type { Db } from '@meridian/db';
import { BUILTIN_HANDLERS, BUILTIN_JOB_TYPES, HandlerRegistry, JobCatalog, JobService, Worker, type EngineLogger, type JobTypeDeclaration, type TaskHandler, type WorkerOptions } from '../src/index.ts';

export const APP_VERSION = '9.9.9-test';

/** Engine timing scaled down so the tests wait milliseconds where production waits seconds. */
export const FAST: JobEngineConfig = {
  leaseMs: 1_500,
  heartbeatMs: 150,
  pollMs: 50,
  janitorIntervalMs: 150,
  shutdownGraceMs: 2_000,
  retryBaseMs: 40,
  queuedTimeoutSeconds: 3_600,
  stallTimeoutSeconds: 3_600,
};

/** A logger that keeps warnings and errors, so tests can assert nothing unexpected was logged. */
export function memoryLogger(lines: { level: string; object: object; message?: string }[] = []): EngineLogger {
  const log = (level: string) => (object: object, message?: string) => {
    if (level === 'warn' || level === 'error') lines.push({ level, object, ...(message ? { message } : {}) });
  };
  const logger: EngineLogger = { child: () => logger, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return logger;
}

export interface Engine {
  catalog: JobCatalog;
  handlers: HandlerRegistry;
  service: JobService;
  startWorker(options?: Partial<WorkerOptions>): Promise<Worker>;
  stopAll(): Promise<void>;
}

export function engine(db: Db, extra: { jobTypes?: JobTypeDeclaration[]; handlers?: TaskHandler[] } = {}): Engine {
  const catalog = new JobCatalog([...BUILTIN_JOB_TYPES, ...(extra.jobTypes ?? [])]);
  const handlers = new HandlerRegistry([...BUILTIN_HANDLERS, ...(extra.handlers ?? [])]);
  const service = new JobService(db, catalog, APP_VERSION);
  const workers: Worker[] = [];
  return {
    catalog,
    handlers,
    service,
    async startWorker(options = {}) {
      const worker = new Worker({ db, handlers, log: memoryLogger(), appVersion: APP_VERSION, timing: FAST, concurrency: 4, ...options });
      await worker.start();
      workers.push(worker);
      return worker;
    },
    async stopAll() {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export async function eventTypes(db: Db, jobId: string): Promise<string[]> {
  const { rows } = await db.query<{ event_type: string }>('SELECT event_type FROM app.job_events WHERE job_id = $1 ORDER BY event_id', [jobId]);
  return rows.map((r) => r.event_type);
}
