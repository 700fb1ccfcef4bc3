import type { Db } from '@meridian/db';
import type { EngineLogger } from './logger.ts';
import { TaskAbort, type Progress, type TaskContext } from './task-handler.ts';
import type { ClaimedTask } from './operations/claim.ts';
import type { TaskLease } from './operations/complete.ts';
import { saveCheckpoint } from './operations/checkpoint.ts';

/** Builds the `ctx` a handler receives for one claim of one task. */
export function createTaskContext(
  db: Db,
  task: ClaimedTask,
  controller: AbortController,
  log: EngineLogger,
  onProgress: (progress: Progress) => void,
): TaskContext {
  const lease: TaskLease = { taskId: task.task_id, attempt: task.attempt, jobId: task.job_id };
  return {
    jobId: task.job_id,
    jobType: task.job_type,
    taskId: task.task_id,
    taskType: task.task_type,
    stage: task.stage,
    attempt: task.attempt,
    signal: controller.signal,
    log,
    lastCheckpoint: task.checkpoint ? { phase: task.checkpoint.phase, data: task.checkpoint.data } : null,
    async checkpoint(phase, data) {
      if (await saveCheckpoint(db, lease, phase, data)) return;
      // Someone else owns the task now; whatever this run does next would be thrown away.
      const abort = new TaskAbort('lease_lost');
      if (!controller.signal.aborted) controller.abort(abort);
      throw abort;
    },
    progress(progress) {
      onProgress(progress);
    },
  };
}
