import type { Queryable } from '@meridian/db';
import { jobNotice, notify, type Notices } from '../notifications.ts';
import type { JobStatus } from '../states.ts';
import type { JobState } from './lock-job.ts';

/**
 * Ends a job whose last stage is done. Its result is the last stage's result (a list for a fan-out stage);
 * it is `completed_with_errors` when a stage that tolerates failures had some.
 */
export async function finalizeJob(tx: Queryable, notices: Notices, job: JobState, lastResults: unknown[]): Promise<JobStatus> {
  const last = job.stages[job.stage_count - 1]!;
  const result = last.fan === 'fan_out' ? lastResults : (lastResults[0] ?? null);
  const status: JobStatus = job.failed_tasks > 0 ? 'completed_with_errors' : 'completed';
  await tx.query(
    `UPDATE app.jobs SET status = $2, result = $3::jsonb, started_at = COALESCE(started_at, clock_timestamp()),
            finished_at = clock_timestamp(), updated_at = clock_timestamp()
     WHERE job_id = $1`,
    [job.job_id, status, JSON.stringify(result)],
  );
  job.status = status;
  await notify(tx, notices, jobNotice(job.job_id, status));
  return status;
}
