import { MeridianError } from '@meridian/core';
import type { PlatformContext } from './context.ts';
import { asObject, optionalBoolean, rejectUnknown } from './fields.ts';
import { IDENTIFYING_FIELDS, identifyRelease } from './identify.ts';
import { syncProcessing } from './processing-sync.ts';
import { monitorUrl } from './release-rules.ts';
import { setProcessingStatus } from './release-store.ts';
import type { PlatformResponse } from './submit.ts';

/**
 * POST /api/platform/resubmit: runs a release's failed job again. A completed job needs `force`
 * (409 JobAlreadyCompleted otherwise), a running one too (409 JobInProgress; with force it is cancelled
 * and restarted). An approved release is served, so its outputs are not rebuilt under the readers.
 */
export async function resubmit(ctx: PlatformContext, raw: unknown): Promise<PlatformResponse> {
  const body = asObject(raw ?? {}, 'body');
  rejectUnknown(body, [...IDENTIFYING_FIELDS, 'force'], 'the resubmit request');
  const force = optionalBoolean(body, 'force') ?? false;
  const { release, job } = await syncProcessing(ctx, await identifyRelease(ctx.db, body, 'pending_review'));
  if (!job) throw new MeridianError('RELEASE_NOT_FOUND', `release ${release.release_id} has no job to resubmit`);
  if (release.approval_state === 'approved') {
    throw new MeridianError('RELEASE_STATE_INVALID', `Release ${release.release_id} is approved and served; revoke it before re-running its job.`);
  }
  if (job.status === 'completed' || job.status === 'completed_with_errors') {
    if (!force) throw new MeridianError('JOB_ALREADY_COMPLETED', `Job ${job.job_id} already completed; set force=true to run it again.`, { job_id: job.job_id });
  } else if (job.status === 'queued' || job.status === 'processing') {
    if (!force) throw new MeridianError('JOB_IN_PROGRESS', `Job ${job.job_id} is ${job.status}; wait for it, or set force=true to cancel and restart it.`, { job_id: job.job_id });
    await ctx.jobs.cancel(job.job_id);
  }
  await ctx.jobs.resubmit(job.job_id);
  await setProcessingStatus(ctx.db, release.release_id, 'pending');
  return {
    status: 202,
    body: { success: true, request_id: release.request_id, release_id: release.release_id, job_id: job.job_id, job_type: job.job_type, monitor_url: monitorUrl(ctx.publicUrl, release.request_id), message: 'Job resubmitted' },
  };
}
