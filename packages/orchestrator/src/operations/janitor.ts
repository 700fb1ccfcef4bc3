import type { Db, Queryable } from '@meridian/db';
import { MeridianError } from '@meridian/core';
import { withNotices, type Notices } from '../notifications.ts';
import { storedError } from '../failures.ts';
import { lockJob } from './lock-job.ts';
import { closeJob } from './close-job.ts';
import { failTaskIn } from './fail.ts';
import { exhaustedLeases, reclaimLapsed, type ReclaimedTask } from './reclaim-lapsed.ts';

/** Any constant works as long as every Meridian process uses the same one. */
const JANITOR_LOCK_KEY = 7_210_431_010;
/** Worker rows silent for this long are deleted (they stay visible in /api/health until then). */
const WORKER_RETENTION_SECONDS = 86_400;

export interface JanitorLimits {
  queuedTimeoutSeconds: number;
  stallTimeoutSeconds: number;
}

export interface JanitorReport {
  reclaimed: ReclaimedTask[];
  failedTasks: number[];
  failedJobs: { job_id: string; reason: string }[];
  workersRemoved: string[];
}

/**
 * Jobs nobody started within the queued limit (no worker serves their task types), and running jobs with
 * no open task left that have not moved within the stall limit (a state the engine should never reach,
 * failed rather than left hanging).
 */
async function failStuckJobs(tx: Queryable, notices: Notices, limits: JanitorLimits): Promise<JanitorReport['failedJobs']> {
  const { rows } = await tx.query<{ job_id: string; status: string }>(
    `SELECT job_id, status FROM app.jobs j
     WHERE (status = 'queued' AND updated_at < clock_timestamp() - $1 * interval '1 second')
        OR (status = 'processing' AND updated_at < clock_timestamp() - $2 * interval '1 second'
            AND NOT EXISTS (SELECT 1 FROM app.tasks t WHERE t.job_id = j.job_id AND t.status IN ('pending', 'ready', 'processing', 'pending_retry')))
     ORDER BY job_id`,
    [limits.queuedTimeoutSeconds, limits.stallTimeoutSeconds],
  );
  const failed: JanitorReport['failedJobs'] = [];
  for (const { job_id, status } of rows) {
    if (!(await lockJob(tx, job_id))) continue;
    const reason = status === 'queued'
      ? `no worker started the job within ${limits.queuedTimeoutSeconds} s`
      : `the job has no task left to run and has not changed for ${limits.stallTimeoutSeconds} s`;
    if (await closeJob(tx, notices, job_id, 'failed', storedError(new MeridianError('JOB_STUCK', reason)))) failed.push({ job_id, reason });
  }
  return failed;
}

/**
 * One sweep, in one transaction, run by at most one worker at a time (the others find the advisory lock
 * taken and skip). Jobs are locked before tasks, and the reclaim that locks only tasks runs last, keeping
 * the engine's one lock order. Writes an app.janitor_runs row when it changed anything.
 */
export async function runJanitorSweep(db: Db, workerId: string, limits: JanitorLimits): Promise<JanitorReport | null> {
  return withNotices(db, async (tx, notices) => {
    const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [JANITOR_LOCK_KEY]);
    if (!rows[0]?.locked) return null;
    await tx.query("SELECT set_config('meridian.actor', $1, true)", [`janitor:${workerId}`]);
    const failedTasks: number[] = [];
    for (const task of await exhaustedLeases(tx)) {
      const error = storedError(new MeridianError('TASK_LEASE_EXPIRED', `task ${task.task_id} lost its worker on every attempt (last attempt ${task.attempt})`));
      if ((await failTaskIn(tx, notices, { taskId: task.task_id, attempt: task.attempt, jobId: task.job_id }, error)) === 'failed') failedTasks.push(task.task_id);
    }
    const failedJobs = await failStuckJobs(tx, notices, limits);
    const reclaimed = await reclaimLapsed(tx, notices);
    const removed = await tx.query<{ worker_id: string }>(
      'DELETE FROM app.workers WHERE last_heartbeat < clock_timestamp() - $1 * interval \'1 second\' RETURNING worker_id',
      [WORKER_RETENTION_SECONDS],
    );
    const report: JanitorReport = { reclaimed, failedTasks, failedJobs, workersRemoved: removed.rows.map((r) => r.worker_id) };
    if (reclaimed.length || failedTasks.length || failedJobs.length || removed.rows.length) {
      await tx.query(
        `INSERT INTO app.janitor_runs (worker_id, reclaimed, failed_tasks, failed_jobs, workers_removed, details)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
        [workerId, reclaimed.length, failedTasks.length, failedJobs.length, removed.rows.length, JSON.stringify(report)],
      );
    }
    return report;
  });
}
