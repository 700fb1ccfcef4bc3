/** The shapes of the API responses the UI reads (see /api/openapi.json). */
export interface Check {
  ok: boolean;
  detail?: string;
  latency_ms?: number;
}

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  mode: string;
  started_at: string;
  uptime_seconds: number;
  auth: string;
  database: Check;
  storage: Check;
  workers?: {
    alive: number;
    busy: number;
    slots: number;
    last_heartbeat: string | null;
    workers: { worker_id: string; alive: boolean; busy: number; concurrency: number; last_heartbeat: string }[];
  };
  queue?: {
    ready: number;
    pending_retry: number;
    processing: number;
    by_task_type: { task_type: string; ready: number; pending_retry: number; processing: number; oldest_ready_at: string | null }[];
  };
}

export interface StoredError {
  code: string;
  message: string;
  remedy: string;
  user_fixable: boolean;
  task_id?: number;
  stage?: number;
  task_type?: string;
}

export interface JobSummary {
  job_id: string;
  job_type: string;
  job_type_version: number;
  status: string;
  stage: number;
  stage_count: number;
  parameters: Record<string, unknown>;
  failed_tasks: number;
  error: StoredError | null;
  submissions: number;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface Stage {
  stage: number;
  name: string;
  task_type: string;
  fan: string;
  allow_failures: boolean;
  tasks: Record<string, number>;
}

export interface Job extends JobSummary {
  result: unknown;
  stages: Stage[];
}

export interface Task {
  task_id: number;
  stage: number;
  task_index: number;
  task_type: string;
  status: string;
  error: StoredError | null;
  attempt: number;
  retry_count: number;
  claimed_by: string | null;
  started_at: string | null;
  finished_at: string | null;
  progress: unknown;
}

export interface JobEvent {
  event_id: number;
  event_type: string;
  status: string | null;
  stage: number | null;
  task_id: number | null;
  duration_ms: number | null;
  worker_id: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
}

export interface JobType {
  name: string;
  version: number;
  description: string;
  parameters: JsonSchema;
  stages: { name: string; task_type: string; fan: string }[];
}

export interface BlobInfo {
  container: string;
  key: string;
  size: number;
  last_modified: string;
  etag: string;
  content_type?: string;
}

export const FINISHED_JOB_STATUSES = ['completed', 'failed', 'completed_with_errors', 'cancelled'];
export const JOB_STATUSES = ['queued', 'processing', ...FINISHED_JOB_STATUSES];

/** Done and total task counts over all stages of a job. */
export function taskProgress(job: Job): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const stage of job.stages) {
    for (const [status, count] of Object.entries(stage.tasks)) {
      total += count;
      if (['completed', 'failed', 'cancelled'].includes(status)) done += count;
    }
  }
  return { done, total };
}
