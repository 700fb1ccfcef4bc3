import { MeridianError } from '@meridian/core';
import type { ReleaseRow } from './release-store.ts';
import type { Submission } from './submission.ts';

export type LineageAction = 'create' | 'new_version' | 'overwrite';

export interface ReleaseDecision {
  action: LineageAction;
  /** The release an overwrite revises. */
  existing: ReleaseRow | null;
  /** The ordinal the release has (overwrite) or gets (create, new version). */
  ordinal: number;
  latestVersionId: string | null;
}

export function monitorUrl(publicUrl: string, requestId: string): string {
  return `${publicUrl}/api/platform/status/${requestId}`;
}

export function existingReleaseSummary(release: ReleaseRow, publicUrl: string): Record<string, unknown> {
  return {
    release_id: release.release_id,
    approval_state: release.approval_state,
    processing_status: release.processing_status,
    version_id: release.version_id,
    version_ordinal: release.ordinal,
    monitor_url: monitorUrl(publicUrl, release.request_id),
  };
}

/**
 * The contract's release rules. `releases` are the asset's releases, newest first, with fresh processing
 * states; `requestId` identifies "the same identifiers" (dataset, resource, version).
 */
export function decideRelease(submission: Submission, requestId: string, releases: ReleaseRow[], publicUrl: string): ReleaseDecision {
  const latestApproved = releases.find((r) => r.approval_state === 'approved') ?? null;
  const latestVersionId = latestApproved?.version_id ?? null;
  const existing = releases.find((r) => r.request_id === requestId) ?? null;
  if (existing) {
    if (!submission.options.overwrite) {
      throw new MeridianError('RELEASE_EXISTS', `A release of dataset '${submission.datasetId}' resource '${submission.resourceId}'${submission.versionId ? ` version '${submission.versionId}'` : ''} already exists (release ${existing.release_id}, ${existing.approval_state}). Set processing_options.overwrite=true to replace it, or submit a new version_id.`, {
        existing_release: existingReleaseSummary(existing, publicUrl),
      });
    }
    if (existing.approval_state === 'approved') {
      throw new MeridianError('RELEASE_STATE_INVALID', `Release ${existing.release_id} is approved and cannot be overwritten. Revoke it first (POST /api/platform/revoke), or submit a new version_id with previous_version_id='${latestVersionId ?? existing.version_id ?? ''}'.`, {
        existing_release: existingReleaseSummary(existing, publicUrl),
      });
    }
    if (existing.processing_status === 'pending' || existing.processing_status === 'processing') {
      throw new MeridianError('RELEASE_STATE_INVALID', `Release ${existing.release_id} is still processing (job ${existing.job_id ?? 'pending'}). Wait until GET /api/platform/status/${existing.request_id} shows it completed or failed, then overwrite.`, {
        existing_release: existingReleaseSummary(existing, publicUrl),
      });
    }
    return { action: 'overwrite', existing, ordinal: existing.ordinal, latestVersionId };
  }
  const nextOrdinal = (releases[0]?.ordinal ?? 0) + 1;
  const given = submission.previousVersionId;
  if (latestVersionId === null) {
    if (given !== null) {
      throw new MeridianError('VALIDATION_ERROR', `previous_version_id='${given}' was given, but the asset has no approved version yet; omit previous_version_id.`, { field: 'previous_version_id' });
    }
  } else if (given === null) {
    throw new MeridianError('VALIDATION_ERROR', `Version '${latestVersionId}' already exists for this asset; to submit version '${submission.versionId ?? `ord${nextOrdinal}`}', specify previous_version_id='${latestVersionId}'.`, { field: 'previous_version_id', latest_version_id: latestVersionId });
  } else if (given !== latestVersionId) {
    throw new MeridianError('VALIDATION_ERROR', `previous_version_id='${given}' does not match current latest version '${latestVersionId}'.`, { field: 'previous_version_id', latest_version_id: latestVersionId });
  }
  return { action: releases.length === 0 ? 'create' : 'new_version', existing: null, ordinal: nextOrdinal, latestVersionId };
}
