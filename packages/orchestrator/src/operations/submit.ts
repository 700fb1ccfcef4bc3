import type { Db } from '@meridian/db';
import { withNotices } from '../notifications.ts';
import type { StagePlan } from '../job-type.ts';
import { JOB_STATE_COLUMNS, type JobState } from './lock-job.ts';
import { startStage } from './start-stage.ts';
import { advanceStage } from './advance-stage.ts';

export interface NewJob {
  jobId: string;
  jobType: string;
  version: number;
  parameters: Record<string, unknown>;
  plan: StagePlan[];
  maxRetries: number;
  appVersion: string;
  firstItems: unknown[];
}

/**
 * Inserts a job and its first stage's tasks in one transaction. An identical job (same id) that already
 * exists is left alone: returns false and the caller shows the existing one.
 */
export async function submitJob(db: Db, job: NewJob): Promise<boolean> {
  return withNotices(db, async (tx, notices) => {
    const { rows } = await tx.query<JobState>(
      `INSERT INTO app.jobs (job_id, job_type, job_type_version, parameters, stages, status, stage, stage_count, stage_remaining, max_retries, app_version)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, 'queued', 1, $6, 0, $7, $8)
       ON CONFLICT (job_id) DO NOTHING
       RETURNING ${JOB_STATE_COLUMNS}`,
      [job.jobId, job.jobType, job.version, JSON.stringify(job.parameters), JSON.stringify(job.plan), job.plan.length, job.maxRetries, job.appVersion],
    );
    const created = rows[0];
    if (!created) return false;
    if ((await startStage(tx, notices, created, 1, job.firstItems)) === 0) await advanceStage(tx, notices, created, 1);
    return true;
  });
}
