import type { Db } from '@meridian/db';
import { completeTasks, type Completion, type TaskLease } from './operations/complete.ts';

interface Waiting extends Completion {
  resolve: (accepted: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for task results. A completion arriving while the worker is idle is written at once; those
 * arriving while a write is in flight are written together by the next one. Latency stays that of a
 * single write, and under load a job's row lock and a commit are paid per batch instead of per task.
 */
export class CompletionBatcher {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly appVersion: string,
  ) {}

  /** Resolves true when the result was recorded, false when the task was no longer this attempt's. */
  complete(lease: TaskLease, result: unknown): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lease, result, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const accepted = await completeTasks(this.db, batch, this.appVersion);
        for (const w of batch) w.resolve(accepted.has(w.lease.taskId));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.flushing = false;
  }
}
