import type { Db } from '@meridian/db';
import { notify, taskNotice, withNotices } from '../notifications.ts';
import type { TaskLease } from './complete.ts';

/**
 * Hands a task back to the queue when its worker shuts down before it finished. It keeps its checkpoint,
 * does not count as a retry, and another worker is woken to resume it at once.
 */
export async function releaseTask(db: Db, lease: TaskLease, taskType: string): Promise<boolean> {
  return withNotices(db, async (tx, notices) => {
    const { rowCount } = await tx.query(
      `UPDATE app.tasks SET status = 'ready', claimed_by = NULL, lease_until = NULL, run_after = clock_timestamp()
       WHERE task_id = $1 AND attempt = $2 AND status = 'processing'`,
      [lease.taskId, lease.attempt],
    );
    if (rowCount > 0) await notify(tx, notices, taskNotice(taskType));
    return rowCount > 0;
  });
}
