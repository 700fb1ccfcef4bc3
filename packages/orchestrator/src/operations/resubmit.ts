import type { Db } from '@meridian/db';
import { MeridianError } from '@meridian/core';
import { withNotices } from '../notifications.ts';
import { isFinished } from '../states.ts';
import { JOB_STATE_COLUMNS, lockJob, type JobState } from './lock-job.ts';
import { startStage } from './start-stage.ts';
import { advanceStage } from './advance-stage.ts';
import type { NewJob } from './submit.ts';

/**
 * Runs a finished job again under the same id: deletes its tasks, keeps its events (the timeline shows
 * both runs), re-plans it from the current declaration and queues its first stage.
 */
export async function resubmitJob(db: Db, job: Omit<NewJob, 'jobType' | 'parameters'>): Promise<void> {
  await withNotices(db, async (tx, notices) => {
    const current = await lockJob(tx, job.jobId);
    if (!current) throw new MeridianError('JOB_NOT_FOUND', `there is no job ${job.jobId}`, { job_id: job.jobId });
    if (!isFinished(current.status)) {
      throw new MeridianError('JOB_IN_PROGRESS', `job ${job.jobId} is ${current.status}; cancel it before resubmitting`, { job_id: job.jobId, status: current.status });
    }
    await tx.query('DELETE FROM app.tasks WHERE job_id = $1', [job.jobId]);
    const { rows } = await tx.query<JobState>(
      `UPDATE app.jobs SET status = 'queued', job_type_version = $2, stages = $3::jsonb, stage_count = $4, stage = 1, stage_remaining = 0,
              failed_tasks = 0, max_retries = $5, result = NULL, error = NULL, app_version = $6, submissions = submissions + 1,
              updated_at = clock_timestamp(), started_at = NULL, finished_at = NULL
       WHERE job_id = $1
       RETURNING ${JOB_STATE_COLUMNS}`,
      [job.jobId, job.version, JSON.stringify(job.plan), job.plan.length, job.maxRetries, job.appVersion],
    );
    const queued = rows[0]!;
    if ((await startStage(tx, notices, queued, 1, job.firstItems)) === 0) await advanceStage(tx, notices, queued, 1);
  });
}
