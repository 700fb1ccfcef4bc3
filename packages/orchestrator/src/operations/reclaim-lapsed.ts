import type { Queryable } from '@meridian/db';
import { notify, taskNotice, type Notices } from '../notifications.ts';

export interface ReclaimedTask {
  task_id: number;
  job_id: string;
  task_type: string;
  /** The worker that lost the lease. */
  lost_by: string | null;
}

export interface LapsedTask {
  task_id: number;
  job_id: string;
  attempt: number;
}

/**
 * Tasks whose lease lapsed (their worker died or hung) go back to the queue for another worker, up to
 * `max_retries` times; a task that keeps losing its worker is returned by `exhaustedLeases` instead, to be
 * failed. Rows locked by someone (a late completion) are skipped until the next sweep.
 */
export async function reclaimLapsed(tx: Queryable, notices: Notices): Promise<ReclaimedTask[]> {
  const { rows } = await tx.query<ReclaimedTask>(
    `WITH lapsed AS (
       SELECT task_id, claimed_by FROM app.tasks
       WHERE status = 'processing' AND lease_until < clock_timestamp() AND reclaims < max_retries
       FOR UPDATE SKIP LOCKED
     )
     UPDATE app.tasks t SET status = 'ready', reclaims = t.reclaims + 1, claimed_by = NULL, lease_until = NULL, run_after = clock_timestamp()
     FROM lapsed l WHERE t.task_id = l.task_id
     RETURNING t.task_id, t.job_id, t.task_type, l.claimed_by AS lost_by`,
  );
  for (const taskType of new Set(rows.map((r) => r.task_type))) await notify(tx, notices, taskNotice(taskType));
  return rows;
}

export async function exhaustedLeases(tx: Queryable): Promise<LapsedTask[]> {
  const { rows } = await tx.query<LapsedTask>(
    `SELECT task_id, job_id, attempt FROM app.tasks
     WHERE status = 'processing' AND lease_until < clock_timestamp() AND reclaims >= max_retries
     ORDER BY task_id`,
  );
  return rows;
}
