import type { Queryable } from '@meridian/db';
import type { Notices } from '../notifications.ts';
import type { JobStatus } from '../states.ts';
import type { JobState } from './lock-job.ts';
import { startStage } from './start-stage.ts';
import { finalizeJob } from './finalize-job.ts';

/**
 * Called, in the same transaction, by whoever finished the last open task of `finishedStage` ("the last
 * task turns out the lights"): creates the next stage's tasks from this stage's results, skipping stages
 * that turn out empty, or finalizes the job. Returns the job's final status when it ended.
 */
export async function advanceStage(tx: Queryable, notices: Notices, job: JobState, finishedStage: number): Promise<JobStatus | null> {
  let stage = finishedStage;
  for (;;) {
    const { rows } = await tx.query<{ status: string; result: unknown }>(
      'SELECT status, result FROM app.tasks WHERE job_id = $1 AND stage = $2 ORDER BY task_index',
      [job.job_id, stage],
    );
    const results = rows.filter((r) => r.status === 'completed').map((r) => r.result);
    await tx.query(
      `SELECT app.record_job_event($1, NULL, $2, 'stage_completed', NULL, NULL, NULL, jsonb_build_object('completed', $3::int, 'failed', $4::int))`,
      [job.job_id, stage, results.length, rows.length - results.length],
    );
    if (stage === job.stage_count) return finalizeJob(tx, notices, job, results);
    const next = stage + 1;
    const items = job.stages[next - 1]!.fan === 'fan_out' ? results.flatMap((r) => (Array.isArray(r) ? r : [r])) : results;
    if ((await startStage(tx, notices, job, next, items)) > 0) return null;
    stage = next;
  }
}
