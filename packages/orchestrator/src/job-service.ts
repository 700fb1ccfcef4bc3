import { MeridianError } from '@meridian/core';
import type { Db } from '@meridian/db';
import type { JobCatalog } from './job-catalog.ts';
import { DEFAULT_MAX_RETRIES, firstStageItems, stagePlan, type StagePlan } from './job-type.ts';
import { isFinished, type TaskStatus } from './states.ts';
import { subscribe } from './notifications.ts';
import { submitJob } from './operations/submit.ts';
import { resubmitJob } from './operations/resubmit.ts';
import { cancelJob } from './operations/cancel.ts';
import { getJob, listEvents, listJobs, listTasks, taskCounts, type EventRow, type JobFilter, type JobRow, type TaskFilter, type TaskRow } from './operations/job-queries.ts';

export interface StageView extends StagePlan {
  stage: number;
  tasks: Partial<Record<TaskStatus, number>>;
}

export interface JobDetail extends JobRow {
  stage_views: StageView[];
}

/** What the API and the CLI do with jobs: submit, look at, cancel, resubmit, wait for. */
export class JobService {
  constructor(
    private readonly db: Db,
    readonly catalog: JobCatalog,
    private readonly appVersion: string,
  ) {}

  /** Validates and submits; an identical job that exists already is returned with `created: false`. */
  async submit(jobType: string, rawParameters: unknown): Promise<{ job: JobDetail; created: boolean }> {
    const { declaration, parameters, jobId } = this.catalog.validate(jobType, rawParameters);
    const created = await submitJob(this.db, {
      jobId,
      jobType,
      version: declaration.version,
      parameters,
      plan: stagePlan(declaration),
      maxRetries: declaration.maxRetries ?? DEFAULT_MAX_RETRIES,
      appVersion: this.appVersion,
      firstItems: firstStageItems(declaration, parameters),
    });
    return { job: await this.get(jobId), created };
  }

  async get(jobId: string): Promise<JobDetail> {
    const job = await getJob(this.db, jobId);
    if (!job) throw new MeridianError('JOB_NOT_FOUND', `there is no job ${jobId}`, { job_id: jobId });
    const counts = await taskCounts(this.db, jobId);
    const stage_views = job.stages.map((plan, i): StageView => {
      const tasks: Partial<Record<TaskStatus, number>> = {};
      for (const c of counts) if (c.stage === i + 1) tasks[c.status] = c.count;
      return { ...plan, stage: i + 1, tasks };
    });
    return { ...job, stage_views };
  }

  list(filter: JobFilter): ReturnType<typeof listJobs> {
    return listJobs(this.db, filter);
  }

  async tasks(jobId: string, filter: TaskFilter): Promise<{ tasks: TaskRow[]; total: number }> {
    await this.get(jobId);
    return listTasks(this.db, jobId, filter);
  }

  async events(jobId: string, afterId: number, limit: number): Promise<EventRow[]> {
    await this.get(jobId);
    return listEvents(this.db, jobId, afterId, limit);
  }

  async cancel(jobId: string): Promise<JobDetail> {
    await cancelJob(this.db, jobId);
    return this.get(jobId);
  }

  /** Runs a finished job again with the current declaration of its type (same id, same parameters). */
  async resubmit(jobId: string): Promise<JobDetail> {
    const job = await this.get(jobId);
    const { declaration, parameters } = this.catalog.validate(job.job_type, job.parameters);
    await resubmitJob(this.db, {
      jobId,
      version: declaration.version,
      plan: stagePlan(declaration),
      maxRetries: declaration.maxRetries ?? DEFAULT_MAX_RETRIES,
      appVersion: this.appVersion,
      firstItems: firstStageItems(declaration, parameters),
    });
    return this.get(jobId);
  }

  /** Resolves when the job has ended, woken by its notice and checking every `pollMs` as a fallback. */
  async waitFor(jobId: string, options: { pollMs: number; signal?: AbortSignal }): Promise<JobDetail> {
    let wake: () => void = () => {};
    const unsubscribe = await subscribe(this.db, (notice) => {
      if (notice.kind === 'job' && notice.jobId === jobId) wake();
    });
    try {
      for (;;) {
        const job = await this.get(jobId);
        if (isFinished(job.status)) return job;
        options.signal?.throwIfAborted();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      await unsubscribe();
    }
  }
}
