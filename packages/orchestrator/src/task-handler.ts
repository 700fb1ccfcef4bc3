import type { EngineLogger } from './logger.ts';

/** What a task receives: the job parameters plus what its stage's fan rule hands it. */
export interface TaskInput<P = Record<string, unknown>> {
  parameters: P;
  /** Position of this task in its stage (0-based). */
  index: number;
  /** fan_out: this task's item. */
  item?: unknown;
  /** fan_in: every result of the previous stage, in task order. */
  items?: unknown[];
}

export interface Checkpoint {
  phase: string;
  data: unknown;
}

export interface Progress {
  percent?: number;
  message?: string;
}

export interface TaskContext {
  jobId: string;
  jobType: string;
  taskId: number;
  taskType: string;
  stage: number;
  /** 1 on the first run; higher after a retry or after the task was taken over from another worker. */
  attempt: number;
  /**
   * Fires when the task must stop: the worker is shutting down (checkpoint, then throw), the job was
   * cancelled, the task timed out, or its lease was lost. `signal.reason` is a TaskAbort.
   */
  signal: AbortSignal;
  log: EngineLogger;
  /** The last checkpoint saved by an earlier run of this task, or null: skip the phases it covers. */
  lastCheckpoint: Checkpoint | null;
  /** Saves progress that survives a crash or a retry. Throws when this worker no longer holds the task. */
  checkpoint(phase: string, data?: unknown): Promise<void>;
  /** Reports progress; it is stored with the next heartbeat. */
  progress(progress: Progress): void;
}

/**
 * A task handler, registered separately from the job-type declarations. Errors it throws decide what
 * happens next: a MeridianError whose catalog entry is user-fixable (bad input, missing file, bad data)
 * fails the task and its job at once; anything else is transient and retried with backoff.
 */
export interface TaskHandler {
  taskType: string;
  /** Aborts the task (signal reason `timeout`) and retries it when it runs longer than this. */
  timeoutMs?: number;
  run(input: TaskInput, ctx: TaskContext): Promise<unknown>;
}

export type AbortReason = 'shutdown' | 'cancelled' | 'lease_lost' | 'timeout';

/** The reason given to `ctx.signal` when the engine stops a task. */
export class TaskAbort extends Error {
  readonly reason: AbortReason;
  constructor(reason: AbortReason) {
    super(`task stopped: ${reason}`);
    this.name = 'TaskAbort';
    this.reason = reason;
  }
}

export function abortReason(signal: AbortSignal): AbortReason | null {
  return signal.aborted && signal.reason instanceof TaskAbort ? signal.reason.reason : null;
}
