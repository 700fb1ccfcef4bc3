/**
 * Whether tasks may still run, for handlers that keep local state between attempts (the raster ETL's work
 * directories): whether a failed attempt will be retried, and which tasks are not finished yet.
 */
import type { Queryable } from '@meridian/db';

/**
 * Whether the engine retries this task after its current attempt fails transiently (it does while retries
 * are left; see the orchestrator's task runner). No row (the job was deleted): no retry.
 */
export async function retryFollows(db: Queryable, taskId: number): Promise<boolean> {
  const { rows } = await db.query<{ retries_left: boolean }>('SELECT retry_count < max_retries AS retries_left FROM app.tasks WHERE task_id = $1', [taskId]);
  return rows[0]?.retries_left ?? false;
}

/** Of these tasks, those the engine may still run (not completed, failed or cancelled, and still there). */
export async function unfinishedTaskIds(db: Queryable, taskIds: readonly number[]): Promise<Set<number>> {
  const { rows } = await db.query<{ task_id: number }>(
    `SELECT task_id FROM app.tasks WHERE task_id = ANY($1::bigint[]) AND status NOT IN ('completed', 'failed', 'cancelled')`,
    [taskIds],
  );
  return new Set(rows.map((r) => r.task_id));
}
