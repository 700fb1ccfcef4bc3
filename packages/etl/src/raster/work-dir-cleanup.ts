/**
 * When a raster task's work directory goes. It stays while the task will run again and can resume from
 * it: a shutdown released the task, another worker took it over (lease lost), or it failed transiently or
 * timed out with retries left. It goes as soon as the task is over: done, cancelled, or failed for good —
 * a permanent error, or a transient one with no retry left.
 *
 * A directory can still outlive its task: the process died mid-task (crash, kill, power loss) and the
 * task was then finished elsewhere or failed by the janitor. So every raster task, when it starts, also
 * removes the directories of tasks the engine will not run again (finished, or no longer in the
 * database); the first raster task after a restart is the machine's start-up sweep. A directory of a task
 * that may still run (queued, waiting for a retry, running here or elsewhere) is never touched.
 */
import type { Queryable } from '@meridian/db';
import { abortReason, classifyError, retryFollows, unfinishedTaskIds, type TaskContext } from '@meridian/orchestrator';
import { removeWorkDir, workDirTaskIds } from './work-dir.ts';

/** Whether the files a failed or stopped run leaves should stay for the task's next run. */
export async function keepsWorkForRetry(db: Queryable, error: unknown, ctx: Pick<TaskContext, 'signal' | 'taskId'>): Promise<boolean> {
  const reason = abortReason(ctx.signal);
  if (reason === 'cancelled') return false;
  if (reason === 'shutdown' || reason === 'lease_lost') return true;
  // A timeout is retried like a transient error (reason 'timeout'); a permanent error never is.
  if (reason === null && classifyError(error).permanent) return false;
  try {
    return await retryFollows(db, ctx.taskId);
  } catch {
    // The database cannot say (it may be why the task failed): keep the files; the sweep removes them if no retry comes.
    return true;
  }
}

/** Removes the work directories of tasks that will not run again (never the running task's own); returns their ids. */
export async function removeStaleWorkDirs(db: Queryable, home: string, runningTaskId: number): Promise<number[]> {
  const others = (await workDirTaskIds(home)).filter((id) => id !== runningTaskId);
  if (others.length === 0) return [];
  const unfinished = await unfinishedTaskIds(db, others);
  const stale = others.filter((id) => !unfinished.has(id));
  await Promise.all(stale.map((id) => removeWorkDir(home, id)));
  return stale;
}
