import { isFinished, type JobDetail, type JobService } from '@meridian/orchestrator';

/**
 * Submits a job and makes sure it runs now. Job ids follow from the parameters, so a release revised with
 * unchanged inputs (or unpublished a second time) finds the finished job of last time: run it again.
 */
export async function runJob(jobs: JobService, jobType: string, parameters: Record<string, unknown>): Promise<JobDetail> {
  const { job, created } = await jobs.submit(jobType, parameters);
  if (!created && isFinished(job.status)) return jobs.resubmit(job.job_id);
  return job;
}
