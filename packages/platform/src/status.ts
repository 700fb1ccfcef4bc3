import { ERROR_CATALOG, MeridianError, isErrorCode } from '@meridian/core';
import type { JobDetail } from '@meridian/orchestrator';
import type { PlatformContext } from './context.ts';
import { syncProcessing } from './processing-sync.ts';
import { findAsset, listReleases, resolveRelease, type AssetRow, type ReleaseRow } from './release-store.ts';
import { releaseServices, viewerUrl } from './services.ts';
import type { PlatformResponse } from './submit.ts';

/** The contract's Retry-After schedule while a job is processing. */
export function retryAfterSeconds(elapsedSeconds: number): number {
  if (elapsedSeconds < 30) return 5;
  if (elapsedSeconds < 120) return 10;
  if (elapsedSeconds < 600) return 15;
  return 30;
}

function jobStatus(job: JobDetail): string {
  return job.status === 'cancelled' ? 'failed' : job.status;
}

function running(job: JobDetail | null): job is JobDetail {
  return job !== null && (job.status === 'queued' || job.status === 'processing');
}

/** Checkpoint data larger than this stays in the jobs API (an unpublish inventory can list thousands of blobs). */
const CHECKPOINT_DATA_MAX_CHARS = 2_000;

/**
 * The newest checkpoint a running task of the job's current stage saved (phase, when, and its data when
 * small), or null when none has. The job engine keeps it on the task row as {phase, data, at}.
 */
async function latestCheckpoint(ctx: PlatformContext, job: JobDetail): Promise<Record<string, unknown> | null> {
  const { tasks } = await ctx.jobs.tasks(job.job_id, { status: 'processing', stage: job.stage, limit: 100, offset: 0 });
  const saved = tasks
    .flatMap((t) => (t.checkpoint ? [{ taskIndex: t.task_index, ...(t.checkpoint as { phase: string; data: unknown; at: string }) }] : []))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  if (!saved) return null;
  const small = JSON.stringify(saved.data ?? null).length <= CHECKPOINT_DATA_MAX_CHARS;
  return { phase: saved.phase, saved_at: new Date(saved.at).toISOString(), task_index: saved.taskIndex, data: small ? saved.data ?? null : null };
}

function progress(job: JobDetail, now: Date, checkpoint: Record<string, unknown> | null): Record<string, unknown> {
  let total = 0;
  let done = 0;
  for (const view of job.stage_views) {
    for (const [status, count] of Object.entries(view.tasks)) {
      total += count ?? 0;
      if (status === 'completed') done += count ?? 0;
    }
  }
  const started = job.started_at ?? job.created_at;
  const stageShare = (job.stage - 1) / job.stage_count;
  const currentView = job.stage_views[job.stage - 1];
  const currentTotal = currentView ? Object.values(currentView.tasks).reduce((n, c) => n + (c ?? 0), 0) : 0;
  const currentDone = currentView?.tasks.completed ?? 0;
  const withinStage = currentTotal ? currentDone / currentTotal / job.stage_count : 0;
  return {
    started_at: started.toISOString(),
    updated_at: job.updated_at.toISOString(),
    elapsed_seconds: Math.max(0, Math.round((now.getTime() - started.getTime()) / 1000)),
    stage: job.stage_views[job.stage - 1]?.name ?? null,
    total_stages: job.stage_count,
    tasks_total: total,
    tasks_done: done,
    percent_complete: Math.round((stageShare + withinStage) * 1000) / 10,
    checkpoint,
  };
}

function jobError(job: JobDetail): Record<string, unknown> | null {
  if (!job.error) return null;
  const code = typeof job.error.code === 'string' ? job.error.code : 'INTERNAL_ERROR';
  const spec = isErrorCode(code) ? ERROR_CATALOG[code] : ERROR_CATALOG.INTERNAL_ERROR;
  return {
    message: typeof job.error.message === 'string' ? job.error.message : spec.message,
    code,
    category: spec.category,
    remediation: typeof job.error.remedy === 'string' ? job.error.remedy : spec.remedy,
    user_fixable: spec.userFixable,
  };
}

/** The warnings a finished job reported (dropped null geometries, several layers, …). */
function jobWarnings(job: JobDetail | null): unknown[] {
  const result = job?.result as { warnings?: unknown } | null | undefined;
  return Array.isArray(result?.warnings) ? result.warnings : [];
}

export type ReleaseSummary = Pick<ReleaseRow, 'release_id' | 'version_id' | 'revision' | 'processing_status' | 'approval_state' | 'clearance_state'> & { version_ordinal: number };

export function releaseView(release: ReleaseRow): ReleaseSummary {
  return {
    release_id: release.release_id,
    version_id: release.version_id,
    version_ordinal: release.ordinal,
    revision: release.revision,
    processing_status: release.processing_status,
    approval_state: release.approval_state,
    clearance_state: release.clearance_state,
  };
}

function versionView(release: ReleaseRow): Record<string, unknown> {
  return {
    ...releaseView(release),
    previous_version_id: release.previous_version_id,
    job_id: release.job_id,
    reviewer: release.reviewer,
    reviewed_at: release.reviewed_at?.toISOString() ?? null,
    rejection_reason: release.rejection_reason,
    created_at: release.created_at.toISOString(),
    updated_at: release.updated_at.toISOString(),
  };
}

function assetView(asset: AssetRow, releaseCount: number): Record<string, unknown> {
  return { asset_id: asset.asset_id, dataset_id: asset.dataset_id, resource_id: asset.resource_id, data_type: asset.data_type, release_count: releaseCount };
}

/** GET /api/platform/status/{id}: every key always present, null when it does not apply. */
export async function status(ctx: PlatformContext, id: string): Promise<PlatformResponse & { retryAfter: number | null }> {
  const found = await resolveRelease(ctx.db, id);
  if (!found) throw new MeridianError('RELEASE_NOT_FOUND', `Nothing is known by the id '${id}' (tried request_id, job_id, release_id and asset_id).`);
  const { release, job } = await syncProcessing(ctx, found);
  const asset = await findAsset(ctx.db, release.asset_id);
  if (!asset) throw new MeridianError('INTERNAL_ERROR');
  const versions = await listReleases(ctx.db, asset.asset_id);
  const completed = release.processing_status === 'completed';
  const now = new Date();
  const body = {
    success: true,
    request_id: release.request_id,
    asset: assetView(asset, versions.length),
    release: releaseView(release),
    job_status: job ? jobStatus(job) : null,
    progress: running(job) ? progress(job, now, await latestCheckpoint(ctx, job)) : null,
    error: job && release.processing_status === 'failed' ? jobError(job) : null,
    job: job ? { job_id: job.job_id, job_type: job.job_type, status: job.status, created_at: job.created_at.toISOString(), finished_at: job.finished_at?.toISOString() ?? null } : null,
    warnings: jobWarnings(job),
    outputs: completed ? release.outputs : null,
    services: releaseServices(ctx.publicUrl, asset, release),
    approval: completed && release.approval_state === 'pending_review'
      ? { approve_url: `${ctx.publicUrl}/api/platform/approve`, asset_id: asset.asset_id, viewer_url: viewerUrl(ctx.publicUrl, asset, release) }
      : null,
    versions: versions.map(versionView),
  };
  if (running(job)) {
    const elapsed = (now.getTime() - (job.started_at ?? job.created_at).getTime()) / 1000;
    return { status: 202, body, retryAfter: retryAfterSeconds(elapsed) };
  }
  return { status: 200, body, retryAfter: null };
}
