import type { Queryable } from '@meridian/db';
import { jobNotice, notify, type Notices } from '../notifications.ts';
import type { StoredError } from '../failures.ts';

export type JobError = StoredError & { task_id?: number; stage?: number; task_type?: string };

/**
 * Ends an unfinished job as failed or cancelled and cancels its open tasks, running ones included: their
 * workers notice at the next heartbeat (or at once, through the notice) and stop them. The caller holds
 * the job's lock. Returns false when the job had already ended.
 */
export async function closeJob(tx: Queryable, notices: Notices, jobId: string, status: 'failed' | 'cancelled', error: JobError): Promise<boolean> {
  const { rows } = await tx.query(
    `WITH closed AS (
       UPDATE app.jobs SET status = $2, error = $3::jsonb, finished_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE job_id = $1 AND status IN ('queued', 'processing')
       RETURNING job_id
     ), cancelled AS (
       UPDATE app.tasks SET status = 'cancelled', lease_until = NULL, finished_at = clock_timestamp()
       WHERE job_id IN (SELECT job_id FROM closed) AND status IN ('pending', 'ready', 'processing', 'pending_retry')
     )
     SELECT job_id FROM closed`,
    [jobId, status, JSON.stringify(error)],
  );
  if (rows.length === 0) return false;
  await notify(tx, notices, jobNotice(jobId, status));
  return true;
}
