import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import { JOB_STATUSES, TASK_STATUSES, type EventRow, type JobDetail, type JobRow, type JobService, type TaskRow } from '@meridian/orchestrator';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const JobStatus = Type.Enum(JOB_STATUSES);
const TaskStatus = Type.Enum(TASK_STATUSES);
const JobId = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the job type and its parameters' });
const ErrorSchema = Type.Object({ code: Type.String(), message: Type.String(), remedy: Type.String() }, { additionalProperties: true });
const StoredError = Type.Object(
  { code: Type.String(), message: Type.String(), remedy: Type.String(), user_fixable: Type.Boolean(), task_id: Type.Optional(Type.Integer()), stage: Type.Optional(Type.Integer()), task_type: Type.Optional(Type.String()) },
  { additionalProperties: true },
);
const Json = Type.Unknown({ description: 'Any JSON value' });
type ErrorView = Static<typeof StoredError> | null;

const jobSummaryProps = {
  job_id: JobId,
  job_type: Type.String(),
  job_type_version: Type.Integer(),
  status: JobStatus,
  stage: Type.Integer({ description: 'Current stage (1-based)' }),
  stage_count: Type.Integer(),
  parameters: Type.Record(Type.String(), Json),
  failed_tasks: Type.Integer({ description: 'Tasks that failed in stages that tolerate failures' }),
  error: nullable(StoredError),
  app_version: Type.String({ description: 'Version of Meridian that submitted the job' }),
  submissions: Type.Integer({ description: '1, plus one per resubmission' }),
  created_at: Timestamp,
  updated_at: Timestamp,
  started_at: nullable(Timestamp),
  finished_at: nullable(Timestamp),
};
const JobSummary = Type.Object(jobSummaryProps);
const StageSchema = Type.Object({
  stage: Type.Integer(),
  name: Type.String(),
  task_type: Type.String(),
  fan: Type.Union([Type.Literal('single'), Type.Literal('fan_out'), Type.Literal('fan_in')]),
  allow_failures: Type.Boolean(),
  tasks: Type.Record(Type.String(), Type.Integer(), { description: 'Task counts by status' }),
});
const jobProps = { ...jobSummaryProps, result: Json, stages: Type.Array(StageSchema) };
const JobSchema = Type.Object(jobProps);
const TaskSchema = Type.Object({
  task_id: Type.Integer(),
  stage: Type.Integer(),
  task_index: Type.Integer(),
  task_type: Type.String(),
  status: TaskStatus,
  input: Json,
  result: Json,
  error: nullable(StoredError),
  attempt: Type.Integer({ description: 'Times the task was claimed' }),
  retry_count: Type.Integer(),
  reclaims: Type.Integer({ description: 'Times its lease lapsed and it was taken back' }),
  claimed_by: nullable(Type.String()),
  lease_until: nullable(Timestamp),
  run_after: Timestamp,
  checkpoint: Json,
  progress: Json,
  app_version: nullable(Type.String({ description: 'Version of Meridian that produced the result' })),
  created_at: Timestamp,
  started_at: nullable(Timestamp),
  finished_at: nullable(Timestamp),
});
const EventSchema = Type.Object({
  event_id: Type.Integer(),
  event_type: Type.String(),
  status: nullable(Type.String()),
  stage: nullable(Type.Integer()),
  task_id: nullable(Type.Integer()),
  duration_ms: nullable(Type.Integer()),
  worker_id: nullable(Type.String()),
  actor: nullable(Type.String()),
  data: Type.Record(Type.String(), Json),
  created_at: Timestamp,
});
const JobParams = Type.Object({ job_id: JobId });
const Paging = { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) };

const iso = (d: Date | null) => d?.toISOString() ?? null;

function summaryView(job: Omit<JobRow, 'result'>) {
  return {
    job_id: job.job_id,
    job_type: job.job_type,
    job_type_version: job.job_type_version,
    status: job.status,
    stage: job.stage,
    stage_count: job.stage_count,
    parameters: job.parameters,
    failed_tasks: job.failed_tasks,
    error: job.error as ErrorView,
    app_version: job.app_version,
    submissions: job.submissions,
    created_at: job.created_at.toISOString(),
    updated_at: job.updated_at.toISOString(),
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
  };
}

function jobView(job: JobDetail) {
  return { ...summaryView(job), result: job.result, stages: job.stage_views };
}

function taskView(task: TaskRow) {
  return {
    ...task,
    error: task.error as ErrorView,
    lease_until: iso(task.lease_until),
    run_after: task.run_after.toISOString(),
    created_at: task.created_at.toISOString(),
    started_at: iso(task.started_at),
    finished_at: iso(task.finished_at),
  };
}

function eventView(event: EventRow) {
  const { job_id: _jobId, ...rest } = event;
  return { ...rest, created_at: event.created_at.toISOString() };
}

function nextOffset(offset: number, count: number, total: number): number | null {
  return offset + count < total ? offset + count : null;
}

export interface JobRoutesOptions {
  service: JobService;
  writable: boolean;
}

/** /api/jobs: submit by job type, status, tasks, the execution timeline, cancel and resubmit. */
export const jobRoutes: FastifyPluginAsyncTypebox<JobRoutesOptions> = async (app, { service, writable }) => {
  app.get('/api/jobs/types', {
    schema: {
      tags: ['jobs'],
      summary: 'The job types this server accepts, with their parameter schemas and stages',
      response: {
        200: Type.Object({
          job_types: Type.Array(Type.Object({ name: Type.String(), version: Type.Integer(), description: Type.String(), parameters: Json, stages: Type.Array(Json) })),
        }),
      },
    },
  }, async () => ({
    job_types: service.catalog.list().map((d) => ({
      name: d.name,
      version: d.version,
      description: d.description,
      parameters: d.parameters,
      stages: d.stages.map((s) => ({ name: s.name, task_type: s.taskType, fan: s.fan, allow_failures: s.allowFailures ?? false })),
    })),
  }));

  app.get('/api/jobs', {
    schema: {
      tags: ['jobs'],
      summary: 'List jobs, newest first, optionally by status and job type',
      querystring: Type.Object({ status: Type.Optional(JobStatus), job_type: Type.Optional(Type.String({ maxLength: 63 })), ...Paging }, { additionalProperties: false }),
      response: { 200: Type.Object({ jobs: Type.Array(JobSummary), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), next_offset: nullable(Type.Integer()) }), 400: ErrorSchema },
    },
  }, async (request) => {
    const { status, job_type: jobType, limit, offset } = request.query;
    const { jobs, total } = await service.list({ status, jobType, limit, offset });
    return { jobs: jobs.map(summaryView), total, limit, offset, next_offset: nextOffset(offset, jobs.length, total) };
  });

  app.get('/api/jobs/:job_id', {
    schema: {
      tags: ['jobs'],
      summary: 'A job: status, current stage, task counts per stage, result and error',
      params: JobParams,
      response: { 200: JobSchema, 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => jobView(await service.get(request.params.job_id)));

  app.get('/api/jobs/:job_id/tasks', {
    schema: {
      tags: ['jobs'],
      summary: "A job's tasks in stage and task order, optionally by status and stage",
      params: JobParams,
      querystring: Type.Object({ status: Type.Optional(TaskStatus), stage: Type.Optional(Type.Integer({ minimum: 1 })), ...Paging }, { additionalProperties: false }),
      response: { 200: Type.Object({ job_id: JobId, tasks: Type.Array(TaskSchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), next_offset: nullable(Type.Integer()) }), 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const { status, stage, limit, offset } = request.query;
    const { tasks, total } = await service.tasks(request.params.job_id, { status, stage, limit, offset });
    return { job_id: request.params.job_id, tasks: tasks.map(taskView), total, limit, offset, next_offset: nextOffset(offset, tasks.length, total) };
  });

  app.get('/api/jobs/:job_id/events', {
    schema: {
      tags: ['jobs'],
      summary: "A job's execution timeline: every state change, stage and checkpoint, oldest first",
      params: JobParams,
      querystring: Type.Object({ after_id: Type.Integer({ minimum: 0, default: 0, description: 'Only events after this event_id (to page or follow)' }), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ job_id: JobId, events: Type.Array(EventSchema), next_after_id: nullable(Type.Integer()) }), 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const { after_id: afterId, limit } = request.query;
    const events = await service.events(request.params.job_id, afterId, limit);
    return { job_id: request.params.job_id, events: events.map(eventView), next_after_id: events.length === limit ? events.at(-1)!.event_id : null };
  });

  if (!writable) return;

  app.post('/api/jobs/submit/:job_type', {
    // A job type whose parameters all have defaults can be submitted without a body.
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: {
      tags: ['jobs'],
      summary: 'Submit a job; 202 with its id, or 200 with the existing job when identical work was submitted before',
      params: Type.Object({ job_type: Type.String({ maxLength: 63 }) }),
      body: Type.Record(Type.String(), Json, { description: 'The job parameters; GET /api/jobs/types lists each type\'s schema' }),
      response: { 200: Type.Object({ ...jobProps, created: Type.Literal(false) }), 202: Type.Object({ ...jobProps, created: Type.Literal(true) }), 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request, reply) => {
    const { job, created } = await service.submit(request.params.job_type, request.body);
    reply.header('location', `/api/jobs/${job.job_id}`);
    if (created) return reply.code(202).send({ ...jobView(job), created: true as const });
    return reply.code(200).send({ ...jobView(job), created: false as const });
  });

  app.post('/api/jobs/:job_id/cancel', {
    schema: {
      tags: ['jobs'],
      summary: 'Cancel a queued or running job; running tasks are told to stop',
      params: JobParams,
      response: { 200: JobSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (request) => jobView(await service.cancel(request.params.job_id)));

  app.post('/api/jobs/:job_id/resubmit', {
    schema: {
      tags: ['jobs'],
      summary: 'Run a finished job again (same id): its tasks are cleaned, its timeline is kept',
      params: JobParams,
      response: { 202: JobSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (request, reply) => reply.code(202).send(jobView(await service.resubmit(request.params.job_id))));
};
