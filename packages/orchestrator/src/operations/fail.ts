import type { Db, Queryable } from '@meridian/db';
import { withNotices, type Notices } from '../notifications.ts';
import type { StoredError } from '../failures.ts';
import { lockJob } from './lock-job.ts';
import { advanceStage } from './advance-stage.ts';
import { closeJob } from './close-job.ts';
import type { TaskLease } from './complete.ts';

export type FailOutcome = 'retry' | 'failed' | 'lost';

/** Schedules another attempt after `delayMs`. Touches only the task row, so it needs no job lock. */
async function scheduleRetry(db: Db, lease: TaskLease, error: StoredError, delayMs: number): Promise<FailOutcome> {
  const { rowCount } = await db.query(
    `UPDATE app.tasks SET status = 'pending_retry', retry_count = retry_count + 1, error = $3::jsonb, lease_until = NULL,
            run_after = clock_timestamp() + $4 * interval '1 millisecond'
     WHERE task_id = $1 AND attempt = $2 AND status = 'processing'`,
    [lease.taskId, lease.attempt, JSON.stringify(error), delayMs],
  );
  return rowCount > 0 ? 'retry' : 'lost';
}

/**
 * Fails a task for good, inside the caller's transaction. A stage that tolerates failures counts it off
 * like a completion (and may advance the job); otherwise the job fails at once with the task's error.
 */
export async function failTaskIn(tx: Queryable, notices: Notices, lease: TaskLease, error: StoredError): Promise<FailOutcome> {
  const job = await lockJob(tx, lease.jobId);
  if (!job) return 'lost';
  const { rows } = await tx.query<{ stage: number; task_type: string }>(
    `UPDATE app.tasks SET status = 'failed', error = $3::jsonb, finished_at = clock_timestamp(), lease_until = NULL
     WHERE task_id = $1 AND attempt = $2 AND status = 'processing'
     RETURNING stage, task_type`,
    [lease.taskId, lease.attempt, JSON.stringify(error)],
  );
  const failed = rows[0];
  if (!failed) return 'lost';
  if (!job.stages[failed.stage - 1]?.allow_failures) {
    await closeJob(tx, notices, lease.jobId, 'failed', { ...error, task_id: lease.taskId, stage: failed.stage, task_type: failed.task_type });
    return 'failed';
  }
  const counted = await tx.query<{ stage_remaining: number; failed_tasks: number }>(
    `UPDATE app.jobs SET stage_remaining = stage_remaining - 1, failed_tasks = failed_tasks + 1, status = 'processing',
            started_at = COALESCE(started_at, clock_timestamp()), updated_at = clock_timestamp()
     WHERE job_id = $1 AND stage = $2
     RETURNING stage_remaining, failed_tasks`,
    [lease.jobId, failed.stage],
  );
  const state = counted.rows[0];
  if (state && state.stage_remaining === 0) {
    await advanceStage(tx, notices, { ...job, status: 'processing', failed_tasks: state.failed_tasks }, failed.stage);
  }
  return 'failed';
}

/** Records a failed attempt: a retry after `retryDelayMs`, or (null) a final failure. */
export async function failTask(db: Db, lease: TaskLease, error: StoredError, retryDelayMs: number | null): Promise<FailOutcome> {
  if (retryDelayMs !== null) return scheduleRetry(db, lease, error, retryDelayMs);
  return withNotices(db, (tx, notices) => failTaskIn(tx, notices, lease, error));
}
