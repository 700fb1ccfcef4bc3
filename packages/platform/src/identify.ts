import { MeridianError } from '@meridian/core';
import type { Queryable } from '@meridian/db';
import { invalid, optionalString, type Body } from './fields.ts';
import { assetId } from './identifiers.ts';
import { listReleases, resolveRelease, type ApprovalState, type ReleaseRow } from './release-store.ts';
import { identifier } from './submission.ts';

export const IDENTIFYING_FIELDS = ['release_id', 'job_id', 'request_id', 'asset_id', 'dataset_id', 'resource_id', 'version_id', 'client_id'] as const;

const HEX_ID = /^[0-9a-f]{32}$|^[0-9a-f]{64}$/;

function hexId(body: Body, field: string): string | null {
  const value = optionalString(body, field, { max: 64 });
  if (value !== null && !HEX_ID.test(value)) throw invalid(field, 'must be a lower-case hex identifier as returned by the platform API');
  return value;
}

/**
 * The release a review or unpublish request names: by release_id, job_id, request_id, asset_id, or
 * dataset_id + resource_id (+ version_id). For an asset, the newest release in `prefer` is taken, else the
 * newest. None given → 400; nothing found → 404.
 */
export async function identifyRelease(db: Queryable, body: Body, prefer: ApprovalState): Promise<ReleaseRow> {
  for (const field of ['release_id', 'job_id', 'request_id'] as const) {
    const id = hexId(body, field);
    if (id === null) continue;
    const release = await resolveRelease(db, id);
    const matches = release && (field === 'job_id' ? release.job_id === id || release.unpublish_job_id === id : release[field] === id);
    if (!release || !matches) {
      throw new MeridianError('RELEASE_NOT_FOUND', `No release has ${field} '${id}'.`, { [field]: id });
    }
    return release;
  }
  let asset = hexId(body, 'asset_id');
  const datasetId = identifier(body, 'dataset_id', 255, false);
  const resourceId = identifier(body, 'resource_id', 255, false);
  const versionId = identifier(body, 'version_id', 50, false);
  if (asset === null) {
    if (datasetId === null || resourceId === null) {
      throw invalid('release_id', 'identify the release by release_id, job_id, request_id, asset_id, or dataset_id and resource_id');
    }
    asset = assetId(identifier(body, 'client_id', 64, false) ?? 'ddh', datasetId, resourceId);
  }
  const releases = (await listReleases(db, asset)).filter((r) => versionId === null || r.version_id === versionId);
  const release = releases.find((r) => r.approval_state === prefer) ?? releases[0];
  if (!release) throw new MeridianError('RELEASE_NOT_FOUND', `No release matches ${datasetId ? `dataset '${datasetId}' resource '${resourceId}'${versionId ? ` version '${versionId}'` : ''}` : `asset '${asset}'`}.`);
  return release;
}
