import type { Db } from '@meridian/db';

export interface WorkerRegistration {
  workerId: string;
  hostname: string;
  pid: number;
  taskTypes: readonly string[];
  concurrency: number;
  appVersion: string;
}

/** Announces a worker process in app.workers (shown by /api/health). */
export async function registerWorker(db: Db, w: WorkerRegistration): Promise<void> {
  await db.query(
    `INSERT INTO app.workers (worker_id, hostname, pid, task_types, concurrency, app_version)
     VALUES ($1, $2, $3, $4::text[], $5, $6)
     ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat = clock_timestamp(), stopped_at = NULL`,
    [w.workerId, w.hostname, w.pid, w.taskTypes, w.concurrency, w.appVersion],
  );
}

export async function beatWorker(db: Db, workerId: string, busy: number): Promise<void> {
  await db.query('UPDATE app.workers SET last_heartbeat = clock_timestamp(), busy = $2 WHERE worker_id = $1', [workerId, busy]);
}

export async function markWorkerStopped(db: Db, workerId: string): Promise<void> {
  await db.query('UPDATE app.workers SET stopped_at = clock_timestamp(), busy = 0 WHERE worker_id = $1', [workerId]);
}
