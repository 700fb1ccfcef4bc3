import { visibleSql, type Queryable, type Visibility } from '@meridian/db';
import type { AssetRow, ReleaseRow } from './release-store.ts';
import { releaseServices } from './services.ts';
import { releaseView, type ReleaseSummary } from './status.ts';

/**
 * The versions of the dataset behind a STAC collection, for every caller (the UI's dataset page): the
 * assets whose releases produced the collection and those releases, only as far as the caller may see
 * them. A release counts as served once approved (revoking or unpublishing takes it back), at the level
 * its clearance says, so the one visibility rule applies: anonymous callers see approved public releases,
 * readers also approved OUO ones, reviewers every release, pending, rejected and revoked included.
 */

/** A page of assets: vector datasets share one STAC collection (system-vectors), so there can be many. */
export const MAX_VERSION_ASSETS = 100;
/** The newest releases listed per asset; `release_count` still counts them all. */
export const MAX_VERSIONS_PER_ASSET = 50;

export interface CollectionVersion extends ReleaseSummary {
  previous_version_id: string | null;
  /** Review details (who, which job, why rejected): reviewers only, null for everyone else. */
  job_id: string | null;
  reviewer: string | null;
  rejection_reason: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
  /** Where the release is served (completed and not unpublished), else null. */
  services: Record<string, string | null> | null;
}

export interface CollectionAssetVersions {
  asset: { asset_id: string; dataset_id: string; resource_id: string; data_type: string; release_count: number };
  versions: CollectionVersion[];
}

export interface CollectionVersionsPage {
  collection_id: string;
  assets: CollectionAssetVersions[];
  next_offset: number | null;
}

/**
 * The releases of the collection the caller may see, as a FROM … WHERE fragment over `r`; the
 * collection id is always $1. `visibleSql` wants `served` and `access_level` columns: a lateral row
 * derives them from the release's approval and clearance.
 */
function visibleReleasesSql(visibility: Visibility): string {
  return `app.releases r
    CROSS JOIN LATERAL (SELECT r.approval_state = 'approved' AS served, r.clearance_state AS access_level) AS classified
    WHERE r.outputs->>'stac_collection_id' = $1 AND ${visibleSql('classified', visibility)}`;
}

type PagedAsset = AssetRow & { release_count: number };

function versionView(publicUrl: string, asset: AssetRow, release: ReleaseRow, visibility: Visibility): CollectionVersion {
  const reviewer = visibility === 'reviewer';
  return {
    ...releaseView(release),
    previous_version_id: release.previous_version_id,
    job_id: reviewer ? release.job_id : null,
    reviewer: reviewer ? release.reviewer : null,
    rejection_reason: reviewer ? release.rejection_reason : null,
    reviewed_at: release.reviewed_at?.toISOString() ?? null,
    created_at: release.created_at.toISOString(),
    updated_at: release.updated_at.toISOString(),
    services: releaseServices(publicUrl, asset, release),
  };
}

/** One page of the collection's assets (newest release first), each with its newest visible releases. */
export async function collectionVersions(
  db: Queryable,
  publicUrl: string,
  filter: { collectionId: string; visibility: Visibility; limit: number; offset: number },
): Promise<CollectionVersionsPage> {
  const { collectionId, visibility, limit, offset } = filter;
  const paged = await db.query<PagedAsset>(
    `SELECT a.*, counted.release_count
       FROM (SELECT r.asset_id, count(*)::int AS release_count, max(r.created_at) AS newest
               FROM ${visibleReleasesSql(visibility)}
              GROUP BY r.asset_id) AS counted
       JOIN app.assets a USING (asset_id)
      ORDER BY counted.newest DESC, a.asset_id
      LIMIT $2 OFFSET $3`,
    [collectionId, limit + 1, offset],
  );
  const assets = paged.rows.slice(0, limit);
  if (!assets.length) return { collection_id: collectionId, assets: [], next_offset: null };
  const { rows: releases } = await db.query<ReleaseRow>(
    `SELECT ranked.* FROM (
       SELECT r.*, row_number() OVER (PARTITION BY r.asset_id ORDER BY r.ordinal DESC) AS newest_rank
         FROM ${visibleReleasesSql(visibility)} AND r.asset_id = ANY($2::text[])) AS ranked
      WHERE ranked.newest_rank <= $3
      ORDER BY ranked.ordinal DESC`,
    [collectionId, assets.map((a) => a.asset_id), MAX_VERSIONS_PER_ASSET],
  );
  return {
    collection_id: collectionId,
    assets: assets.map((asset) => ({
      asset: { asset_id: asset.asset_id, dataset_id: asset.dataset_id, resource_id: asset.resource_id, data_type: asset.data_type, release_count: asset.release_count },
      versions: releases.filter((r) => r.asset_id === asset.asset_id).map((r) => versionView(publicUrl, asset, r, visibility)),
    })),
    next_offset: paged.rows.length > limit ? offset + limit : null,
  };
}
