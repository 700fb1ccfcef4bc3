import type { Db } from '@meridian/db';

export interface WorkerRow {
  worker_id: string;
  hostname: string;
  pid: number;
  task_types: string[];
  concurrency: number;
  busy: number;
  app_version: string;
  started_at: Date;
  last_heartbeat: Date;
  alive: boolean;
}

/** Workers that have not stopped; alive when their last heartbeat is recent enough. */
export async function listWorkers(db: Db, aliveWithinMs: number): Promise<WorkerRow[]> {
  const { rows } = await db.query<WorkerRow>(
    `SELECT worker_id, hostname, pid, task_types, concurrency, busy, app_version, started_at, last_heartbeat,
            last_heartbeat > clock_timestamp() - $1 * interval '1 millisecond' AS alive
     FROM app.workers WHERE stopped_at IS NULL ORDER BY started_at`,
    [aliveWithinMs],
  );
  return rows;
}

export interface BacklogRow {
  task_type: string;
  ready: number;
  pending_retry: number;
  processing: number;
  oldest_ready_at: Date | null;
}

/** Open tasks by type: what is waiting, waiting to retry and running. */
export async function queueBacklog(db: Db): Promise<BacklogRow[]> {
  const { rows } = await db.query<BacklogRow>(
    `SELECT task_type,
            count(*) FILTER (WHERE status = 'ready')::int AS ready,
            count(*) FILTER (WHERE status = 'pending_retry')::int AS pending_retry,
            count(*) FILTER (WHERE status = 'processing')::int AS processing,
            min(run_after) FILTER (WHERE status = 'ready') AS oldest_ready_at
     FROM app.tasks WHERE status IN ('ready', 'pending_retry', 'processing')
     GROUP BY task_type ORDER BY task_type`,
  );
  return rows;
}
