import { MeridianError } from '@meridian/core';
import { isDbError } from '@meridian/db';
import type { PlatformContext } from './context.ts';
import { assetId, releaseId, requestId } from './identifiers.ts';
import { planJob } from './job-parameters.ts';
import { currentProcessing, syncProcessing } from './processing-sync.ts';
import { decideRelease, monitorUrl } from './release-rules.ts';
import { runJob } from './run-job.ts';
import { appendAudit, findAsset, insertAsset, insertRelease, listReleases, reviseRelease, type ReleaseRow } from './release-store.ts';
import { parseSubmission, type Submission } from './submission.ts';

export interface PlatformResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The asset's releases, newest first, with processing states brought up to date with their jobs: written
 * back (`settle`), or only read, for a dry run.
 */
export async function freshReleases(ctx: PlatformContext, asset: string, settle = true): Promise<ReleaseRow[]> {
  const releases = await listReleases(ctx.db, asset);
  return Promise.all(releases.map(async (r) => (await (settle ? syncProcessing : currentProcessing)(ctx, r)).release));
}

function sourceOf(submission: Submission): ReleaseRow['source'] {
  return { container_name: submission.containerName, file_name: submission.files, source_url: submission.sourceUrl };
}

/** The etag the store reports for the first source file: it changes whenever the content does. */
async function sourceFingerprint(ctx: PlatformContext, submission: Submission): Promise<string | null> {
  const first = submission.files[0];
  if (first === undefined) return null;
  const info = await ctx.store.head({ container: submission.containerName, key: first });
  return info ? `etag:${info.etag}` : null;
}

/**
 * POST /api/platform/submit (and validate = dry run). Everything is checked before anything is
 * written: the identifiers, the release rules and the job parameters; a dry run stops there.
 */
export async function submit(ctx: PlatformContext, raw: unknown, options: { dryRun: boolean; actor: string }): Promise<PlatformResponse> {
  const submission = parseSubmission(raw);
  const asset = assetId(submission.clientId, submission.datasetId, submission.resourceId);
  const request = requestId(submission.datasetId, submission.resourceId, submission.versionId);
  const existingAsset = await findAsset(ctx.db, asset);
  if (existingAsset && existingAsset.data_type !== submission.dataType) {
    throw new MeridianError('VALIDATION_ERROR', `file_name: the asset holds ${existingAsset.data_type} data; this submission is ${submission.dataType}`, { field: 'file_name' });
  }
  const releases = existingAsset ? await freshReleases(ctx, asset, !options.dryRun) : [];
  const decision = decideRelease(submission, request, releases, ctx.publicUrl);
  const plan = planJob(submission, { datasetId: submission.datasetId, resourceId: submission.resourceId, versionId: submission.versionId, ordinal: decision.ordinal }, { replaceOutputs: decision.action === 'overwrite' });
  if (!ctx.jobs.catalog.list().some((d) => d.name === plan.jobType)) {
    throw new MeridianError('NOT_IMPLEMENTED', `the ${plan.jobType} job is not available in this deployment`);
  }
  ctx.jobs.catalog.validate(plan.jobType, plan.parameters);
  const warnings: string[] = [];
  if (submission.options.overwrite && decision.action !== 'overwrite') warnings.push('processing_options.overwrite has no effect: there is no earlier release with these identifiers');

  if (options.dryRun) {
    return {
      status: 200,
      body: {
        success: true, valid: true, dry_run: true, request_id: request, asset_id: asset, data_type: submission.dataType,
        would_create_job_type: plan.jobType,
        lineage: { latest_version_id: decision.latestVersionId, next_ordinal: decision.ordinal, action: decision.action },
        warnings,
      },
    };
  }

  const job = await runJob(ctx.jobs, plan.jobType, plan.parameters);
  const fields = {
    job_id: job.job_id,
    job_type: plan.jobType,
    app_version: ctx.appVersion,
    source_file_hash: await sourceFingerprint(ctx, submission),
    source: sourceOf(submission),
    submission: { ...submission } as unknown as Record<string, unknown>,
    outputs: plan.outputs,
    requested_access: submission.accessLevel,
  };
  try {
    await ctx.db.transaction(async (tx) => {
      await insertAsset(tx, { asset_id: asset, client_id: submission.clientId, dataset_id: submission.datasetId, resource_id: submission.resourceId, data_type: submission.dataType });
      if (decision.existing) {
        const revised = await reviseRelease(tx, decision.existing.release_id, fields);
        await appendAudit(tx, { release: revised, action: 'overwritten', fromState: decision.existing.approval_state, actor: options.actor, reason: `revision ${revised.revision}` });
      } else {
        const inserted = await insertRelease(tx, {
          ...fields,
          release_id: releaseId(asset, decision.ordinal),
          asset_id: asset,
          request_id: request,
          ordinal: decision.ordinal,
          version_id: submission.versionId,
          previous_version_id: submission.previousVersionId,
        });
        await appendAudit(tx, { release: inserted, action: 'submitted', fromState: null, actor: options.actor, reason: null });
      }
    });
  } catch (error) {
    if (isDbError(error, '23505')) throw new MeridianError('RELEASE_EXISTS', 'Another submission with these identifiers was accepted at the same moment; check its status.', { request_id: request });
    throw error;
  }
  return {
    status: 202,
    body: {
      success: true,
      request_id: request,
      job_id: job.job_id,
      job_type: plan.jobType,
      monitor_url: monitorUrl(ctx.publicUrl, request),
      message: decision.action === 'overwrite'
        ? `Release revised (revision ${(decision.existing?.revision ?? 0) + 1}); processing started`
        : `Submission accepted as release ${decision.ordinal} of the asset; processing started`,
      ...(warnings.length ? { warnings } : {}),
    },
  };
}
