import type { Db, Queryable } from '@meridian/db';
import type { Checkpoint } from '../task-handler.ts';

export interface ClaimedTask {
  task_id: number;
  job_id: string;
  job_type: string;
  parameters: Record<string, unknown>;
  stage: number;
  task_index: number;
  task_type: string;
  input: { item?: unknown; items?: unknown[] };
  attempt: number;
  retry_count: number;
  max_retries: number;
  checkpoint: Checkpoint | null;
}

export interface ClaimRequest {
  workerId: string;
  taskTypes: readonly string[];
  limit: number;
  leaseMs: number;
}

/**
 * Takes up to `limit` ready tasks of the given types, oldest first, with a lease. SKIP LOCKED lets many
 * workers claim at once without waiting on, or taking, each other's rows. Each task type is read in its
 * own index order (a LATERAL per type) so a claim stops after `limit` rows instead of sorting the whole
 * backlog; rows a type's scan locked beyond the final limit are merely unlocked again at commit.
 * The first claim of a job also marks the job started; if another transaction holds that job row it is
 * skipped rather than waited for (waiting here, while holding task locks, could deadlock with a cancel),
 * and completion starts it instead. Runs inside the caller's transaction: its own (claimTasks), or the
 * one that records the results of the tasks whose slots it refills (completeTasks).
 */
export async function claimIn(tx: Queryable, request: ClaimRequest): Promise<ClaimedTask[]> {
  const { rows } = await tx.query<ClaimedTask>(
    `WITH candidate AS (
       SELECT t.task_id FROM unnest($1::text[]) AS k(task_type)
       CROSS JOIN LATERAL (
         SELECT task_id, run_after FROM app.tasks
         WHERE task_type = k.task_type AND status IN ('ready', 'pending_retry') AND run_after <= now()
         ORDER BY run_after, task_id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       ) t
       ORDER BY t.run_after, t.task_id
       LIMIT $2
     ), claimed AS (
       UPDATE app.tasks t
       SET status = 'processing', attempt = t.attempt + 1, claimed_by = $3, started_at = clock_timestamp(),
           heartbeat_at = clock_timestamp(), lease_until = clock_timestamp() + $4 * interval '1 millisecond'
       FROM candidate c WHERE t.task_id = c.task_id
       RETURNING t.task_id, t.job_id, t.stage, t.task_index, t.task_type, t.input, t.attempt, t.retry_count, t.max_retries, t.checkpoint
     ), started AS (
       UPDATE app.jobs j SET status = 'processing', started_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE j.job_id IN (SELECT q.job_id FROM app.jobs q WHERE q.job_id IN (SELECT job_id FROM claimed) AND q.status = 'queued' FOR UPDATE SKIP LOCKED)
     )
     SELECT c.*, j.job_type, j.parameters FROM claimed c JOIN app.jobs j ON j.job_id = c.job_id ORDER BY c.task_id`,
    [request.taskTypes, request.limit, request.workerId, request.leaseMs],
  );
  return rows;
}

/**
 * A claim in a transaction of its own (an idle worker woken by new work).
 *
 * It commits without waiting for its WAL flush, which would otherwise double the cost of a short
 * task. Losing it in a server crash is harmless: the task is ready again and runs again, and the attempt
 * check keeps a result from ever being recorded twice. The durable commit of a task's result flushes the
 * claim that preceded it.
 */
export async function claimTasks(db: Db, request: ClaimRequest): Promise<ClaimedTask[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    return claimIn(tx, request);
  });
}
