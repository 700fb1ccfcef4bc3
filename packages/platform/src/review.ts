import { MeridianError } from '@meridian/core';
import { isDbError } from '@meridian/db';
import type { PlatformContext } from './context.ts';
import { asObject, invalid, optionalBoolean, optionalString, rejectUnknown, requiredString, type Body } from './fields.ts';
import { IDENTIFYING_FIELDS, identifyRelease } from './identify.ts';
import { currentProcessing, syncProcessing } from './processing-sync.ts';
import { appendAudit, applyReview, listReleases, type ApprovalState, type ReleaseRow, type ReviewChange } from './release-store.ts';
import { identifier } from './submission.ts';
import type { PlatformResponse } from './submit.ts';
import { scheduleExport } from './export/schedule-export.ts';

export type ReviewAction = 'approve' | 'reject' | 'revoke';

const FIELDS: Record<ReviewAction, readonly string[]> = {
  approve: [...IDENTIFYING_FIELDS, 'reviewer', 'clearance_state', 'access_level', 'notes', 'dry_run'],
  reject: [...IDENTIFYING_FIELDS, 'reviewer', 'reason', 'dry_run'],
  revoke: [...IDENTIFYING_FIELDS, 'reviewer', 'reason', 'dry_run'],
};

const TARGET: Record<ReviewAction, ApprovalState> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };
const SOURCE: Record<ReviewAction, ApprovalState> = { approve: 'pending_review', reject: 'pending_review', revoke: 'approved' };

/** Why the release cannot make this transition now, or null when it can. */
function blockedReason(action: ReviewAction, release: ReleaseRow): string | null {
  const expected = SOURCE[action];
  if (release.approval_state !== expected) {
    return `Release ${release.release_id} is '${release.approval_state}'; ${action} needs approval_state '${expected}'.`;
  }
  if (action === 'approve' && release.processing_status !== 'completed') {
    return `Release ${release.release_id} has processing_status '${release.processing_status}'; approve needs processing_status 'completed'.`;
  }
  return null;
}

function clearance(body: Body): 'ouo' | 'public' {
  const value = optionalString(body, 'clearance_state') ?? optionalString(body, 'access_level');
  if (value === null) throw invalid('clearance_state', "is required: 'ouo' or 'public'");
  const normalized = value.trim().toLowerCase();
  if (normalized === 'public') return 'public';
  if (normalized === 'ouo' || normalized === 'official use only') return 'ouo';
  throw invalid('clearance_state', `must be 'ouo' or 'public'; got '${value}'`);
}

/** The approved version name: as submitted, else as given now, else v{ordinal}. */
function approvedVersion(body: Body, release: ReleaseRow): string {
  const given = identifier(body, 'version_id', 50, false);
  if (given !== null && release.version_id !== null && given !== release.version_id) {
    throw invalid('version_id', `release ${release.release_id} was submitted as version '${release.version_id}'; approve it under that version or omit version_id`);
  }
  return release.version_id ?? given ?? `v${release.ordinal}`;
}

/** POST /api/platform/approve | reject | revoke. */
export async function review(ctx: PlatformContext, action: ReviewAction, raw: unknown): Promise<PlatformResponse> {
  const body = asObject(raw ?? {}, 'body');
  rejectUnknown(body, FIELDS[action], `the ${action} request`);
  const dryRun = optionalBoolean(body, 'dry_run') ?? false;
  const settle = dryRun ? currentProcessing : syncProcessing;
  const reviewer = requiredString(body, 'reviewer', { max: 200 });
  const reason = action === 'approve' ? null : requiredString(body, 'reason', { max: 2000 });
  const notes = action === 'approve' ? optionalString(body, 'notes', { max: 2000 }) : null;
  const level = action === 'approve' ? clearance(body) : null;
  const { release } = await settle(ctx, await identifyRelease(ctx.db, body, SOURCE[action]));
  const blocked = blockedReason(action, release);
  const version = action === 'approve' ? approvedVersion(body, release) : null;
  const holder = version === null ? undefined : (await listReleases(ctx.db, release.asset_id)).find((r) => r.approval_state === 'approved' && r.version_id === version && r.release_id !== release.release_id);
  const conflict = holder ? `Version '${version}' is already held by approved release ${holder.release_id} (ordinal ${holder.ordinal}); approve under another version_id or revoke that release first.` : null;

  if (dryRun) {
    return {
      status: 200,
      body: { success: true, dry_run: true, release_id: release.release_id, current_state: release.approval_state, would_transition_to: TARGET[action], blocked: blocked !== null || conflict !== null, blocked_reason: blocked ?? conflict },
    };
  }
  if (blocked) throw new MeridianError('RELEASE_TRANSITION_INVALID', blocked, { current_state: release.approval_state, expected_state: SOURCE[action], processing_status: release.processing_status });
  if (conflict) throw new MeridianError('VERSION_CONFLICT', conflict, { version_id: version });

  const change: ReviewChange = { approval_state: TARGET[action], reviewer, rejection_reason: reason, approval_notes: notes, ...(level ? { clearance_state: level } : {}), ...(version ? { version_id: version } : {}) };
  const updated = await transition(ctx, release, change, action, reviewer, reason ?? notes);
  const exportJobId = updated.clearance_state === 'public' && action !== 'reject'
    ? await scheduleExport(ctx, updated, action === 'approve' ? 'export' : 'withdraw')
    : null;
  await ctx.events.emit(`release.${TARGET[action]}` as 'release.approved' | 'release.rejected' | 'release.revoked', updated, { reviewer, reason, clearance_state: updated.clearance_state });
  return {
    status: 200,
    body: {
      success: true,
      release_id: updated.release_id,
      asset_id: updated.asset_id,
      approval_state: updated.approval_state,
      clearance_state: updated.clearance_state,
      version_id: updated.version_id,
      stac_item_id: updated.outputs.stac_item_id,
      stac_collection_id: updated.outputs.stac_collection_id,
      action: TARGET[action],
      message: message(action, updated),
      ...(exportJobId ? { export_job_id: exportJobId } : {}),
    },
  };
}

function message(action: ReviewAction, release: ReleaseRow): string {
  if (action === 'approve') return `Release approved as version '${release.version_id}' with clearance '${release.clearance_state}'; it is now served.`;
  if (action === 'reject') return 'Release rejected; resubmit with processing_options.overwrite=true to revise it.';
  return 'Release revoked; it is no longer served (data kept for audit).';
}

/**
 * Writes the review and its audit entry in one transaction, with serving changed around it: an approval
 * is served first and unserved again if the write fails, a revocation is unserved first — so a failure
 * never leaves a release served that the database does not call approved.
 */
async function transition(ctx: PlatformContext, release: ReleaseRow, change: ReviewChange, action: ReviewAction, actor: string, reason: string | null): Promise<ReleaseRow> {
  const write = () => ctx.db.transaction(async (tx) => {
    const updated = await applyReview(tx, release.release_id, change);
    await appendAudit(tx, { release: updated, action: TARGET[action] as 'approved' | 'rejected' | 'revoked', fromState: release.approval_state, actor, reason });
    return updated;
  });
  if (action === 'revoke') {
    await ctx.serving.unserve(release);
    return write();
  }
  if (action === 'reject') return write();
  await ctx.serving.serve({ ...release, version_id: change.version_id ?? release.version_id }, change.clearance_state as 'ouo' | 'public');
  try {
    return await write();
  } catch (error) {
    await ctx.serving.unserve(release);
    if (isDbError(error, '23505')) throw new MeridianError('VERSION_CONFLICT', `Version '${change.version_id}' was approved for another release of the asset at the same moment.`, { version_id: change.version_id });
    throw error;
  }
}
