import type { Queryable } from '@meridian/db';
import type { DataType } from './processing-options.ts';

/** SQL for assets, releases and the release audit log: the platform's one data layer for them. */
export type ApprovalState = 'pending_review' | 'approved' | 'rejected' | 'revoked';
export type ClearanceState = 'uncleared' | 'ouo' | 'public';
export type ProcessingStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface AssetRow {
  asset_id: string;
  client_id: string;
  dataset_id: string;
  resource_id: string;
  data_type: DataType;
  created_at: Date;
  updated_at: Date;
}

export interface ReleaseOutputs {
  stac_item_id: string | null;
  stac_collection_id: string | null;
  blob_path: string | null;
  table_name: string | null;
  table_names: string[] | null;
  schema: 'geo' | null;
  /** Every STAC item the job made (raster tiers, the files of a collection), when it reports them. */
  stac_item_ids?: string[];
  /** Every COG and thumbnail (`container/key`) a raster job wrote, when it reports them. */
  blob_paths?: string[];
  /** The mosaic search of a raster collection. */
  search_id?: string;
  /** The split views of a vector load (split_column): published beside its tables. */
  views?: string[];
}

export interface ReleaseRow {
  release_id: string;
  asset_id: string;
  request_id: string;
  ordinal: number;
  revision: number;
  version_id: string | null;
  previous_version_id: string | null;
  job_id: string | null;
  job_type: string;
  app_version: string;
  source_file_hash: string | null;
  source: { container_name: string; file_name: string[]; source_url: string | null };
  submission: Record<string, unknown>;
  outputs: ReleaseOutputs;
  approval_state: ApprovalState;
  clearance_state: ClearanceState;
  processing_status: ProcessingStatus;
  requested_access: 'public' | 'ouo';
  reviewer: string | null;
  reviewed_at: Date | null;
  rejection_reason: string | null;
  approval_notes: string | null;
  unpublish_job_id: string | null;
  unpublished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type NewRelease = Pick<ReleaseRow,
  'release_id' | 'asset_id' | 'request_id' | 'ordinal' | 'version_id' | 'previous_version_id' | 'job_id' | 'job_type' |
  'app_version' | 'source_file_hash' | 'source' | 'submission' | 'outputs' | 'requested_access'>;

export async function findAsset(db: Queryable, assetId: string): Promise<AssetRow | null> {
  const { rows } = await db.query<AssetRow>('SELECT * FROM app.assets WHERE asset_id = $1', [assetId]);
  return rows[0] ?? null;
}

export async function insertAsset(db: Queryable, asset: Pick<AssetRow, 'asset_id' | 'client_id' | 'dataset_id' | 'resource_id' | 'data_type'>): Promise<void> {
  await db.query(
    `INSERT INTO app.assets (asset_id, client_id, dataset_id, resource_id, data_type) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (asset_id) DO UPDATE SET updated_at = clock_timestamp()`,
    [asset.asset_id, asset.client_id, asset.dataset_id, asset.resource_id, asset.data_type],
  );
}

/** Every release of an asset, newest (highest ordinal) first. */
export async function listReleases(db: Queryable, assetId: string): Promise<ReleaseRow[]> {
  const { rows } = await db.query<ReleaseRow>('SELECT * FROM app.releases WHERE asset_id = $1 ORDER BY ordinal DESC', [assetId]);
  return rows;
}

export async function getRelease(db: Queryable, releaseId: string, options: { forUpdate?: boolean } = {}): Promise<ReleaseRow | null> {
  const { rows } = await db.query<ReleaseRow>(`SELECT * FROM app.releases WHERE release_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [releaseId]);
  return rows[0] ?? null;
}

/** The release an id names: a release_id, a job_id, a request_id (newest) or an asset_id (latest approved, else newest). */
export async function resolveRelease(db: Queryable, id: string): Promise<ReleaseRow | null> {
  const { rows } = await db.query<ReleaseRow>(
    `SELECT r.* FROM app.releases r
      WHERE r.release_id = $1 OR r.job_id = $1 OR r.unpublish_job_id = $1 OR r.request_id = $1 OR r.asset_id = $1
      ORDER BY (r.release_id = $1) DESC, (r.job_id = $1 OR r.unpublish_job_id = $1) DESC, (r.request_id = $1) DESC,
               (r.approval_state = 'approved') DESC, r.ordinal DESC
      LIMIT 1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function insertRelease(db: Queryable, release: NewRelease): Promise<ReleaseRow> {
  const { rows } = await db.query<ReleaseRow>(
    `INSERT INTO app.releases (release_id, asset_id, request_id, ordinal, version_id, previous_version_id, job_id, job_type,
       app_version, source_file_hash, source, submission, outputs, requested_access)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
    [release.release_id, release.asset_id, release.request_id, release.ordinal, release.version_id, release.previous_version_id,
      release.job_id, release.job_type, release.app_version, release.source_file_hash, JSON.stringify(release.source),
      JSON.stringify(release.submission), JSON.stringify(release.outputs), release.requested_access],
  );
  return rows[0]!;
}

/** An overwrite: the same release, next revision, new job and outputs, back to review. */
export async function reviseRelease(db: Queryable, releaseId: string, next: Pick<NewRelease, 'job_id' | 'job_type' | 'app_version' | 'source_file_hash' | 'source' | 'submission' | 'outputs' | 'requested_access'>): Promise<ReleaseRow> {
  const { rows } = await db.query<ReleaseRow>(
    `UPDATE app.releases SET revision = revision + 1, job_id = $2, job_type = $3, app_version = $4, source_file_hash = $5,
       source = $6, submission = $7, outputs = $8, requested_access = $9, approval_state = 'pending_review',
       clearance_state = 'uncleared', processing_status = 'pending', reviewer = NULL, reviewed_at = NULL,
       rejection_reason = NULL, approval_notes = NULL, unpublish_job_id = NULL, unpublished_at = NULL
     WHERE release_id = $1 RETURNING *`,
    [releaseId, next.job_id, next.job_type, next.app_version, next.source_file_hash, JSON.stringify(next.source),
      JSON.stringify(next.submission), JSON.stringify(next.outputs), next.requested_access],
  );
  return rows[0]!;
}

/**
 * Returns the updated release when the status changed, null when it already was `status`; `outputs`, when
 * given, replace the release's outputs in the same statement.
 */
export async function setProcessingStatus(db: Queryable, releaseId: string, status: ProcessingStatus, outputs?: ReleaseOutputs): Promise<ReleaseRow | null> {
  const { rows } = await db.query<ReleaseRow>(
    'UPDATE app.releases SET processing_status = $2, outputs = COALESCE($3::jsonb, outputs) WHERE release_id = $1 AND processing_status <> $2 RETURNING *',
    [releaseId, status, outputs ? JSON.stringify(outputs) : null],
  );
  return rows[0] ?? null;
}

export interface ReviewChange {
  approval_state: ApprovalState;
  clearance_state?: ClearanceState;
  version_id?: string | null;
  reviewer: string;
  rejection_reason?: string | null;
  approval_notes?: string | null;
}

export async function applyReview(db: Queryable, releaseId: string, change: ReviewChange): Promise<ReleaseRow> {
  const { rows } = await db.query<ReleaseRow>(
    `UPDATE app.releases SET approval_state = $2, clearance_state = COALESCE($3, clearance_state),
       version_id = COALESCE($4, version_id), reviewer = $5, reviewed_at = clock_timestamp(),
       rejection_reason = COALESCE($6, rejection_reason), approval_notes = COALESCE($7, approval_notes)
     WHERE release_id = $1 RETURNING *`,
    [releaseId, change.approval_state, change.clearance_state ?? null, change.version_id ?? null, change.reviewer,
      change.rejection_reason ?? null, change.approval_notes ?? null],
  );
  return rows[0]!;
}

export async function markUnpublished(db: Queryable, releaseId: string, jobId: string): Promise<ReleaseRow> {
  const { rows } = await db.query<ReleaseRow>(
    `UPDATE app.releases SET unpublish_job_id = $2, unpublished_at = clock_timestamp(),
       approval_state = CASE WHEN approval_state = 'approved' THEN 'revoked' ELSE approval_state END
     WHERE release_id = $1 RETURNING *`,
    [releaseId, jobId],
  );
  return rows[0]!;
}

export type AuditAction = 'submitted' | 'overwritten' | 'approved' | 'rejected' | 'revoked' | 'unpublished';

export async function appendAudit(db: Queryable, entry: { release: ReleaseRow; action: AuditAction; fromState: string | null; actor: string; reason: string | null }): Promise<void> {
  await db.query(
    `INSERT INTO app.release_audit (release_id, asset_id, action, from_state, to_state, actor, reason, snapshot)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entry.release.release_id, entry.release.asset_id, entry.action, entry.fromState, entry.release.approval_state,
      entry.actor, entry.reason, JSON.stringify(entry.release)],
  );
}

export interface AuditRow {
  audit_id: number;
  release_id: string;
  asset_id: string;
  action: AuditAction;
  from_state: string | null;
  to_state: string;
  actor: string;
  reason: string | null;
  created_at: Date;
}

export async function listAudit(db: Queryable, filter: { releaseId?: string; limit: number; offset: number }): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT audit_id, release_id, asset_id, action, from_state, to_state, actor, reason, created_at
       FROM app.release_audit WHERE ($1::text IS NULL OR release_id = $1) ORDER BY audit_id DESC LIMIT $2 OFFSET $3`,
    [filter.releaseId ?? null, filter.limit, filter.offset],
  );
  return rows;
}

/** Releases whose job may still change their processing status. */
export async function listUnsettledReleases(db: Queryable, limit: number): Promise<ReleaseRow[]> {
  const { rows } = await db.query<ReleaseRow>(
    "SELECT * FROM app.releases WHERE processing_status IN ('pending', 'processing') AND job_id IS NOT NULL ORDER BY updated_at LIMIT $1",
    [limit],
  );
  return rows;
}
