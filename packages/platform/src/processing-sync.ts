import type { JobDetail, JobStatus } from '@meridian/orchestrator';
import type { PlatformContext } from './context.ts';
import { withJobOutputs } from './job-outputs.ts';
import { getRelease, setProcessingStatus, type ProcessingStatus, type ReleaseRow } from './release-store.ts';

export function processingStatusOf(jobStatus: JobStatus): ProcessingStatus {
  if (jobStatus === 'queued') return 'pending';
  if (jobStatus === 'processing') return 'processing';
  if (jobStatus === 'completed' || jobStatus === 'completed_with_errors') return 'completed';
  return 'failed';
}

/**
 * The release as its job says it is now, without writing anything: what dry runs decide on (the contract
 * says a dry run writes nothing at all, so it may not settle the release either).
 */
export async function currentProcessing(ctx: PlatformContext, release: ReleaseRow): Promise<{ release: ReleaseRow; job: JobDetail | null; changed: boolean }> {
  if (!release.job_id) return { release, job: null, changed: false };
  const job = await ctx.jobs.get(release.job_id);
  const status = processingStatusOf(job.status);
  if (status === release.processing_status) return { release, job, changed: false };
  const outputs = status === 'completed' ? withJobOutputs(release.outputs, job.result) : release.outputs;
  return { release: { ...release, processing_status: status, outputs }, job, changed: true };
}

/**
 * Brings a release's processing_status up to date with its job. The update only succeeds for the one
 * caller that sees the change, so the job.completed / job.failed event is emitted exactly once.
 */
export async function syncProcessing(ctx: PlatformContext, release: ReleaseRow): Promise<{ release: ReleaseRow; job: JobDetail | null }> {
  const current = await currentProcessing(ctx, release);
  const { job } = current;
  if (!current.changed || !job) return { release, job };
  const status = current.release.processing_status;
  const updated = await setProcessingStatus(ctx.db, release.release_id, status, status === 'completed' ? current.release.outputs : undefined);
  // Another caller saw the change first: read what it wrote.
  if (!updated) return { release: (await getRelease(ctx.db, release.release_id)) ?? release, job };
  if (status === 'completed' || status === 'failed') {
    await ctx.events.emit(status === 'completed' ? 'job.completed' : 'job.failed', updated, { job_id: job.job_id, job_type: job.job_type, job_status: job.status, error: job.error });
  }
  return { release: updated, job };
}
