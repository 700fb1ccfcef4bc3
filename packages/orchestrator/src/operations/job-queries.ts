import type { Db } from '@meridian/db';
import type { JobStatus, TaskStatus } from '../states.ts';
import type { StagePlan } from '../job-type.ts';

export interface JobRow {
  job_id: string;
  job_type: string;
  job_type_version: number;
  parameters: Record<string, unknown>;
  stages: StagePlan[];
  status: JobStatus;
  stage: number;
  stage_count: number;
  failed_tasks: number;
  result: unknown;
  error: Record<string, unknown> | null;
  app_version: string;
  submissions: number;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface TaskRow {
  task_id: number;
  job_id: string;
  stage: number;
  task_index: number;
  task_type: string;
  status: TaskStatus;
  input: unknown;
  result: unknown;
  error: Record<string, unknown> | null;
  attempt: number;
  retry_count: number;
  reclaims: number;
  claimed_by: string | null;
  lease_until: Date | null;
  run_after: Date;
  checkpoint: Record<string, unknown> | null;
  progress: Record<string, unknown> | null;
  app_version: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface EventRow {
  event_id: number;
  job_id: string;
  task_id: number | null;
  stage: number | null;
  event_type: string;
  status: string | null;
  duration_ms: number | null;
  worker_id: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

const SUMMARY_COLUMNS = `job_id, job_type, job_type_version, parameters, stages, status, stage, stage_count, failed_tasks, error,
  app_version, submissions, created_at, updated_at, started_at, finished_at`;
const JOB_COLUMNS = `${SUMMARY_COLUMNS}, result`;

export async function getJob(db: Db, jobId: string): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM app.jobs WHERE job_id = $1`, [jobId]);
  return rows[0] ?? null;
}

/** Task counts per stage and status, for the job detail view. */
export async function taskCounts(db: Db, jobId: string): Promise<{ stage: number; status: TaskStatus; count: number }[]> {
  const { rows } = await db.query<{ stage: number; status: TaskStatus; count: number }>(
    'SELECT stage, status, count(*)::int AS count FROM app.tasks WHERE job_id = $1 GROUP BY stage, status ORDER BY stage, status',
    [jobId],
  );
  return rows;
}

export interface JobFilter {
  status?: JobStatus | undefined;
  jobType?: string | undefined;
  limit: number;
  offset: number;
}

/** Newest first. The result column is left out of listings: it can be large. */
export async function listJobs(db: Db, filter: JobFilter): Promise<{ jobs: Omit<JobRow, 'result'>[]; total: number }> {
  const where = 'WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR job_type = $2)';
  const params = [filter.status ?? null, filter.jobType ?? null];
  const [page, total] = await Promise.all([
    db.query<Omit<JobRow, 'result'>>(
      `SELECT ${SUMMARY_COLUMNS} FROM app.jobs ${where} ORDER BY created_at DESC, job_id LIMIT $3 OFFSET $4`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app.jobs ${where}`, params),
  ]);
  return { jobs: page.rows, total: total.rows[0]!.n };
}

export interface TaskFilter {
  status?: TaskStatus | undefined;
  stage?: number | undefined;
  limit: number;
  offset: number;
}

export async function listTasks(db: Db, jobId: string, filter: TaskFilter): Promise<{ tasks: TaskRow[]; total: number }> {
  const where = 'WHERE job_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::int IS NULL OR stage = $3)';
  const params = [jobId, filter.status ?? null, filter.stage ?? null];
  const [page, total] = await Promise.all([
    db.query<TaskRow>(
      `SELECT task_id, job_id, stage, task_index, task_type, status, input, result, error, attempt, retry_count, reclaims, claimed_by,
              lease_until, run_after, checkpoint, progress, app_version, created_at, started_at, finished_at
       FROM app.tasks ${where} ORDER BY stage, task_index LIMIT $4 OFFSET $5`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app.tasks ${where}`, params),
  ]);
  return { tasks: page.rows, total: total.rows[0]!.n };
}

/** The timeline in order; `afterId` pages through it (and lets a client follow a running job). */
export async function listEvents(db: Db, jobId: string, afterId: number, limit: number): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT event_id, job_id, task_id, stage, event_type, status, duration_ms, worker_id, actor, data, created_at
     FROM app.job_events WHERE job_id = $1 AND event_id > $2 ORDER BY event_id LIMIT $3`,
    [jobId, afterId, limit],
  );
  return rows;
}
