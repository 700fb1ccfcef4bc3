import { MeridianError } from '@meridian/core';
import type { PlatformContext } from './context.ts';
import { asObject, invalid, optionalBoolean, rejectUnknown } from './fields.ts';
import { IDENTIFYING_FIELDS, identifyRelease } from './identify.ts';
import { currentProcessing, syncProcessing } from './processing-sync.ts';
import { monitorUrl } from './release-rules.ts';
import { runJob } from './run-job.ts';
import { appendAudit, findAsset, markUnpublished, type ReleaseRow } from './release-store.ts';
import type { PlatformResponse } from './submit.ts';
import { scheduleExport } from './export/schedule-export.ts';

const FIELDS = [...IDENTIFYING_FIELDS, 'dry_run', 'force_approved', 'reviewer', 'reason'] as const;

interface UnpublishPlan {
  jobType: 'unpublish_vector' | 'unpublish_raster';
  parameters: Record<string, unknown>;
  wouldDelete: Record<string, unknown>;
}

function planUnpublish(dataType: string, release: ReleaseRow): UnpublishPlan {
  const { outputs } = release;
  if (dataType === 'vector' && outputs.table_name) {
    return {
      jobType: 'unpublish_vector',
      parameters: { table_name: outputs.table_name },
      wouldDelete: { table_names: outputs.table_names ?? [outputs.table_name], schema: 'geo', stac_item_id: outputs.stac_item_id, stac_collection_id: outputs.stac_collection_id, cached_tiles: true },
    };
  }
  const collection = outputs.stac_collection_id;
  if (dataType === 'raster' && collection) {
    const wouldDelete = (itemIds: string[]) => ({
      stac_collection_id: collection, stac_item_ids: itemIds, blob_paths: outputs.blob_paths ?? (outputs.blob_path ? [outputs.blob_path] : []), cached_tiles: true,
    });
    // Every item the job reported (each file of a collection, each tier of output_tier: all) by name.
    if (outputs.stac_item_ids?.length) {
      return { jobType: 'unpublish_raster', parameters: { collection_id: collection, item_ids: outputs.stac_item_ids }, wouldDelete: wouldDelete(outputs.stac_item_ids) };
    }
    // A single raster whose job reported no items (it failed, or ran before jobs reported them): the job
    // finds its item and the tiers made from the same file.
    if (outputs.stac_item_id) {
      return { jobType: 'unpublish_raster', parameters: { collection_id: collection, item_id: outputs.stac_item_id }, wouldDelete: wouldDelete([outputs.stac_item_id]) };
    }
    throw new MeridianError('RELEASE_STATE_INVALID', `Release ${release.release_id} is a raster collection whose job has not reported its items (processing_status '${release.processing_status}'); wait until processing has finished, or resubmit it.`, { processing_status: release.processing_status });
  }
  throw new MeridianError('NOT_IMPLEMENTED', `unpublishing ${dataType} data is not supported yet`);
}

/** POST /api/platform/unpublish: removes a release's outputs (never the bronze uploads) and revokes it. */
export async function unpublish(ctx: PlatformContext, raw: unknown, actor: string): Promise<PlatformResponse> {
  const body = asObject(raw ?? {}, 'body');
  rejectUnknown(body, FIELDS, 'the unpublish request');
  const dryRun = optionalBoolean(body, 'dry_run') ?? false;
  const force = optionalBoolean(body, 'force_approved') ?? false;
  const identified = await identifyRelease(ctx.db, body, 'approved');
  // The job's reported outputs name what to delete: bring them in first (read only, for a dry run).
  const { release } = await (dryRun ? currentProcessing : syncProcessing)(ctx, identified);
  const asset = await findAsset(ctx.db, release.asset_id);
  if (!asset) throw new MeridianError('INTERNAL_ERROR');
  const plan = planUnpublish(asset.data_type, release);
  const accepted = (jobId: string, status: number): PlatformResponse => ({
    status,
    body: { success: true, request_id: release.request_id, release_id: release.release_id, job_id: jobId, job_type: plan.jobType, monitor_url: monitorUrl(ctx.publicUrl, release.request_id) },
  });

  if (release.unpublish_job_id) return accepted(release.unpublish_job_id, 200);
  if (dryRun) {
    return { status: 200, body: { success: true, dry_run: true, release_id: release.release_id, approval_state: release.approval_state, data_type: asset.data_type, would_delete: plan.wouldDelete, blocked: release.approval_state === 'approved' && !force } };
  }
  if (release.approval_state === 'approved' && !force) {
    throw invalid('force_approved', `release ${release.release_id} is approved (version '${release.version_id}'); set force_approved=true to unpublish it`);
  }
  if (!ctx.jobs.catalog.list().some((d) => d.name === plan.jobType)) {
    throw new MeridianError('NOT_IMPLEMENTED', `the ${plan.jobType} job is not available in this deployment`);
  }
  await ctx.serving.unserve(release);
  const job = await runJob(ctx.jobs, plan.jobType, plan.parameters);
  const updated = await ctx.db.transaction(async (tx) => {
    const marked = await markUnpublished(tx, release.release_id, job.job_id);
    await appendAudit(tx, { release: marked, action: 'unpublished', fromState: release.approval_state, actor, reason: typeof body.reason === 'string' ? body.reason : null });
    return marked;
  });
  if (release.clearance_state === 'public' && release.approval_state === 'approved') await scheduleExport(ctx, updated, 'withdraw');
  await ctx.events.emit('release.unpublished', updated, { job_id: job.job_id, job_type: plan.jobType });
  return accepted(job.job_id, 202);
}
