import type { Queryable } from '@meridian/db';
import type { JobStatus } from '../states.ts';
import type { StagePlan } from '../job-type.ts';

/** The columns the engine needs to move a job along. */
export interface JobState {
  job_id: string;
  status: JobStatus;
  stage: number;
  stage_count: number;
  stages: StagePlan[];
  stage_remaining: number;
  failed_tasks: number;
  max_retries: number;
}

export const JOB_STATE_COLUMNS = 'job_id, status, stage, stage_count, stages, stage_remaining, failed_tasks, max_retries';

/**
 * Locks a job row for the rest of the transaction. Every operation that changes a job and its tasks locks
 * the job first, then the tasks: one lock order everywhere, so they cannot deadlock one another.
 */
export async function lockJob(tx: Queryable, jobId: string): Promise<JobState | null> {
  const { rows } = await tx.query<JobState>(`SELECT ${JOB_STATE_COLUMNS} FROM app.jobs WHERE job_id = $1 FOR UPDATE`, [jobId]);
  return rows[0] ?? null;
}
