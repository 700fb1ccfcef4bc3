import type { Db } from '@meridian/db';
import type { TaskLease } from './complete.ts';

/**
 * Saves a task's checkpoint and records it on the timeline, in one statement. Returns false when this
 * attempt no longer holds the task (it was cancelled or taken over).
 */
export async function saveCheckpoint(db: Db, lease: TaskLease, phase: string, data: unknown): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH saved AS (
       UPDATE app.tasks SET checkpoint = jsonb_build_object('phase', $3::text, 'data', $4::jsonb, 'at', clock_timestamp()),
                            heartbeat_at = clock_timestamp()
       WHERE task_id = $1 AND attempt = $2 AND status = 'processing'
       RETURNING job_id, task_id, stage, claimed_by, attempt
     )
     SELECT app.record_job_event(job_id, task_id, stage, 'task_checkpoint', 'processing', NULL, claimed_by,
                                 jsonb_build_object('phase', $3::text, 'attempt', attempt))
     FROM saved`,
    [lease.taskId, lease.attempt, phase, JSON.stringify(data ?? null)],
  );
  return rowCount > 0;
}
