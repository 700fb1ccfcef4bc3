import type { Queryable } from '@meridian/db';
import { notify, taskNotice, type Notices } from '../notifications.ts';
import type { JobState } from './lock-job.ts';

/** What each task of a stage is given, by the stage's fan rule (see FanRule). */
function taskInputs(fan: string, items: unknown[]): unknown[] {
  if (fan === 'fan_out') return items.map((item) => ({ item }));
  if (fan === 'fan_in') return [{ items }];
  return [{}];
}

/**
 * Creates the tasks of `stage` (ready to claim), makes it the job's current stage and wakes the workers.
 * Returns the number of tasks; a stage with none is complete at once and the caller advances past it.
 */
export async function startStage(tx: Queryable, notices: Notices, job: JobState, stage: number, items: unknown[]): Promise<number> {
  const plan = job.stages[stage - 1];
  if (!plan) throw new Error(`job ${job.job_id} has no stage ${stage}`);
  const inputs = taskInputs(plan.fan, items);
  await tx.query(
    `WITH created AS (
       INSERT INTO app.tasks (job_id, stage, task_index, task_type, status, input, max_retries)
       SELECT $1, $2, (e.ord - 1)::int, $3, 'ready', e.value, $4
       FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(value, ord)
       RETURNING 1
     ), job AS (
       UPDATE app.jobs SET stage = $2, stage_remaining = $6, updated_at = clock_timestamp() WHERE job_id = $1 RETURNING job_id
     )
     SELECT app.record_job_event(job_id, NULL, $2, 'stage_started', NULL, NULL, NULL,
                                 jsonb_build_object('name', $7::text, 'task_type', $3::text, 'fan', $8::text, 'tasks', $6::int))
     FROM job`,
    [job.job_id, stage, plan.task_type, job.max_retries, JSON.stringify(inputs), inputs.length, plan.name, plan.fan],
  );
  job.stage = stage;
  job.stage_remaining = inputs.length;
  if (inputs.length > 0) await notify(tx, notices, taskNotice(plan.task_type));
  return inputs.length;
}
