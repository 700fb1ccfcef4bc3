import type { Db } from '@meridian/db';
import { withNotices } from '../notifications.ts';
import { JOB_STATE_COLUMNS, type JobState } from './lock-job.ts';
import { advanceStage } from './advance-stage.ts';
import { claimIn, type ClaimedTask, type ClaimRequest } from './claim.ts';

/** One claim of one task: what a worker must name to finish it. */
export interface TaskLease {
  taskId: number;
  attempt: number;
  jobId: string;
}

export interface Completion {
  lease: TaskLease;
  result: unknown;
}

/**
 * Records task results, many at once (a worker batches the completions that arrive while its previous
 * batch commits, so a job's row lock and a commit are paid per batch, not per task). In one transaction
 * it locks the jobs involved (in job_id order, so batches cannot deadlock one another), marks the tasks
 * completed and counts them off their stage; a job whose stage reaches zero open tasks is advanced right
 * there ("the last task turns out the lights"). A lease that no longer holds its task (cancelled, or taken
 * over after the lease lapsed) has its result dropped, so a task never completes twice.
 * With `refill`, the same transaction claims new tasks for the slots the completed ones free — including
 * next-stage tasks it has just created — so a busy worker pays one commit per batch for both.
 *
 * Durability is taken at stage boundaries. A batch that ends no stage commits without waiting for its WAL
 * flush, so the job row lock every completion of a job takes is held for microseconds, not for a disk
 * sync: that lock is what serializes workers completing tasks of the same job. If the server crashes
 * before the flush, those completions are lost and their tasks run again once their leases lapse; none is
 * ever recorded twice. A batch that advances or finalizes a job commits durably, and that flush makes
 * every earlier completion of the job durable with it, so a stage transition is never lost.
 */
export async function completeTasks(db: Db, completions: Completion[], appVersion: string, refill: ClaimRequest | null): Promise<{ accepted: Set<number>; claimed: ClaimedTask[] }> {
  return withNotices(db, async (tx, notices) => {
    const jobIds = [...new Set(completions.map((c) => c.lease.jobId))].sort();
    const locked = await tx.query<JobState>(`SELECT ${JOB_STATE_COLUMNS} FROM app.jobs WHERE job_id = ANY($1::text[]) ORDER BY job_id FOR UPDATE`, [jobIds]);
    const records = completions.map((c) => ({ task_id: c.lease.taskId, attempt: c.lease.attempt, result: c.result ?? null }));
    const { rows } = await tx.query<{ accepted: number[]; stages: { job_id: string; stage: number; remaining: number }[] }>(
      `WITH done AS (
         UPDATE app.tasks t SET status = 'completed', result = r.result, app_version = $2, finished_at = clock_timestamp(), lease_until = NULL
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id bigint, attempt int, result jsonb)
         WHERE t.task_id = r.task_id AND t.attempt = r.attempt AND t.status = 'processing'
         RETURNING t.task_id, t.job_id, t.stage
       ), counted AS (
         UPDATE app.jobs j SET stage_remaining = j.stage_remaining - d.n, status = 'processing',
                started_at = COALESCE(j.started_at, clock_timestamp()), updated_at = clock_timestamp()
         FROM (SELECT job_id, stage, count(*)::int AS n FROM done GROUP BY job_id, stage) d
         WHERE j.job_id = d.job_id AND j.stage = d.stage
         RETURNING j.job_id, j.stage, j.stage_remaining
       )
       SELECT (SELECT COALESCE(json_agg(task_id), '[]') FROM done) AS accepted,
              (SELECT COALESCE(json_agg(json_build_object('job_id', job_id, 'stage', stage, 'remaining', stage_remaining)), '[]') FROM counted) AS stages,
              set_config('synchronous_commit',
                         CASE WHEN EXISTS (SELECT 1 FROM counted WHERE stage_remaining = 0) THEN current_setting('synchronous_commit') ELSE 'off' END,
                         true) AS durability`,
      [JSON.stringify(records), appVersion],
    );
    const { accepted, stages } = rows[0]!;
    for (const { job_id, stage, remaining } of stages) {
      const job = locked.rows.find((j) => j.job_id === job_id);
      if (remaining === 0 && job) await advanceStage(tx, notices, { ...job, status: 'processing' }, stage);
    }
    return { accepted: new Set(accepted), claimed: refill && refill.limit > 0 ? await claimIn(tx, refill) : [] };
  });
}
