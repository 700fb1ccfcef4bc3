import type { Db } from '@meridian/db';
import type { Progress } from '../task-handler.ts';

export interface LeaseRenewal {
  task_id: number;
  attempt: number;
  progress: (Progress & { at: string }) | null;
}

/**
 * Renews the leases of every task this worker runs, in one statement, and stores their latest progress.
 * Returns the tasks still held: any other was cancelled or taken over, and its handler must stop.
 */
export async function renewLeases(db: Db, workerId: string, leaseMs: number, renewals: LeaseRenewal[]): Promise<Set<number>> {
  if (renewals.length === 0) return new Set();
  const { rows } = await db.query<{ task_id: number }>(
    `UPDATE app.tasks t
     SET lease_until = clock_timestamp() + $2 * interval '1 millisecond', heartbeat_at = clock_timestamp(),
         progress = COALESCE(r.progress, t.progress)
     FROM jsonb_to_recordset($1::jsonb) AS r(task_id bigint, attempt int, progress jsonb)
     WHERE t.task_id = r.task_id AND t.attempt = r.attempt AND t.status = 'processing' AND t.claimed_by = $3
     RETURNING t.task_id`,
    [JSON.stringify(renewals), leaseMs, workerId],
  );
  return new Set(rows.map((r) => r.task_id));
}
