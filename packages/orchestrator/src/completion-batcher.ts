import type { Db } from '@meridian/db';
import { completeTasks, type Completion, type TaskLease } from './operations/complete.ts';
import type { ClaimedTask, ClaimRequest } from './operations/claim.ts';

interface Waiting extends Completion {
  resolve: (accepted: boolean) => void;
  reject: (error: unknown) => void;
}

/** How a batch refills the worker's slots in its own transaction. */
export interface Refill {
  /** Reserves the slots free once `finishing` tasks are done and returns the claim for them, or null. */
  reserve(finishing: number): ClaimRequest | null;
  /** Hands over what the claim took (nothing when the batch failed) and ends the reservation. */
  deliver(request: ClaimRequest, tasks: ClaimedTask[]): void;
}

/**
 * Group commit for task results. A completion arriving while the worker is idle is written at once; those
 * arriving while a write is in flight are written together by the next one. Latency stays that of a
 * single write, and under load a job's row lock and a commit are paid per batch instead of per task. Each
 * batch also claims the tasks that refill the slots it frees.
 */
export class CompletionBatcher {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly appVersion: string,
    private readonly refill: Refill,
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
      const claim = this.refill.reserve(batch.length);
      let claimed: ClaimedTask[] = [];
      try {
        const outcome = await completeTasks(this.db, batch, this.appVersion, claim);
        claimed = outcome.claimed;
        for (const w of batch) w.resolve(outcome.accepted.has(w.lease.taskId));
      } catch (error) {
        for (const w of batch) w.reject(error);
      } finally {
        if (claim) this.refill.deliver(claim, claimed);
      }
    }
    this.flushing = false;
  }
}
