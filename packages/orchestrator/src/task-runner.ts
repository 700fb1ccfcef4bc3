import { MeridianError } from '@meridian/core';
import type { Db } from '@meridian/db';
import type { EngineLogger } from './logger.ts';
import { abortReason, TaskAbort, type Progress, type TaskHandler } from './task-handler.ts';
import { classifyError, storedError, type ClassifiedError } from './failures.ts';
import { retryDelayMs } from './backoff.ts';
import { createTaskContext } from './task-context.ts';
import type { ClaimedTask } from './operations/claim.ts';
import type { TaskLease } from './operations/complete.ts';
import type { CompletionBatcher } from './completion-batcher.ts';
import { failTask } from './operations/fail.ts';
import { releaseTask } from './operations/release.ts';

export interface TaskRunSettings {
  db: Db;
  log: EngineLogger;
  appVersion: string;
  retryBaseMs: number;
  retryCapMs: number;
  /** How long a handler may take to stop after its signal fired before the worker gives up on it. */
  graceMs: number;
  completions: CompletionBatcher;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const ABANDONED = Symbol('abandoned');

/** The handler's outcome, or ABANDONED when it has not settled `graceMs` after its signal fired. */
function settleWithin<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T | typeof ABANDONED> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => resolve(ABANDONED), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function failure(handler: TaskHandler, task: ClaimedTask, error: unknown, timedOut: boolean): ClassifiedError {
  if (timedOut) {
    return { error: storedError(new MeridianError('TASK_TIMEOUT', `task ${task.task_type} #${task.task_index} ran longer than ${handler.timeoutMs} ms`)), permanent: false };
  }
  return classifyError(error);
}

/**
 * Runs one claimed task and records what happened: its result; a retry or a failure; or, when the worker
 * is shutting down, its release back to the queue (its checkpoint goes with it). Returns the delay of a
 * scheduled retry, so the worker can wake up for it.
 */
export async function runTask(settings: TaskRunSettings, handler: TaskHandler, task: ClaimedTask, controller: AbortController, onProgress: (p: Progress) => void): Promise<number | null> {
  const log = settings.log.child({ job_id: task.job_id, task_id: task.task_id, task_type: task.task_type, attempt: task.attempt });
  const lease: TaskLease = { taskId: task.task_id, attempt: task.attempt, jobId: task.job_id };
  const ctx = createTaskContext(settings.db, task, controller, log, onProgress);
  const input = { parameters: task.parameters, index: task.task_index, ...task.input };
  const timer = handler.timeoutMs ? setTimeout(() => controller.abort(new TaskAbort('timeout')), handler.timeoutMs) : undefined;
  let outcome: Outcome;
  try {
    const value = await settleWithin(Promise.resolve().then(() => handler.run(input, ctx)), controller.signal, settings.graceMs);
    outcome = value === ABANDONED ? { ok: false, error: controller.signal.reason } : { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    clearTimeout(timer);
  }

  if (outcome.ok) {
    if (!(await settings.completions.complete(lease, outcome.value))) {
      log.warn({}, 'result dropped: the task was cancelled or taken over by another worker');
    }
    return null;
  }
  const reason = abortReason(controller.signal);
  if (reason === 'shutdown') {
    await releaseTask(settings.db, lease, task.task_type);
    log.info({}, 'task released for another worker (shutdown)');
    return null;
  }
  if (reason === 'cancelled' || reason === 'lease_lost') {
    log.info({ reason }, 'task stopped');
    return null;
  }
  const { error, permanent } = failure(handler, task, outcome.error, reason === 'timeout');
  const delay = !permanent && task.retry_count < task.max_retries ? retryDelayMs(task.retry_count, settings.retryBaseMs, settings.retryCapMs) : null;
  const final = delay === null && !permanent ? { ...error, message: `${error.message} (gave up after ${task.retry_count + 1} attempts)` } : error;
  const result = await failTask(settings.db, lease, final, delay);
  log.warn({ code: error.code, err: outcome.error, outcome: result, retry_in_ms: delay }, delay === null ? 'task failed' : 'task failed; retry scheduled');
  return result === 'retry' ? delay : null;
}
