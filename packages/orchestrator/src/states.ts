/** The states of jobs and tasks. The allowed transitions between them are enforced by triggers in SQL. */
export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'completed_with_errors', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TASK_STATUSES = ['pending', 'ready', 'processing', 'completed', 'failed', 'pending_retry', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'completed_with_errors', 'cancelled']);

export function isFinished(status: JobStatus): boolean {
  return FINISHED.has(status);
}
