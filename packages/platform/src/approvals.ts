import type { Queryable } from '@meridian/db';
import type { ApprovalState } from './release-store.ts';

/** The reviewers' queue (UI): releases with their asset, filtered by state, and counts by state. */
export interface QueueEntry {
  release_id: string;
  asset_id: string;
  request_id: string;
  dataset_id: string;
  resource_id: string;
  data_type: string;
  ordinal: number;
  revision: number;
  version_id: string | null;
  approval_state: ApprovalState;
  clearance_state: string;
  processing_status: string;
  requested_access: string;
  job_id: string | null;
  reviewer: string | null;
  reviewed_at: Date | null;
  rejection_reason: string | null;
  outputs: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export async function approvalQueue(db: Queryable, filter: { state: ApprovalState | null; limit: number; offset: number }): Promise<{ counts: Record<ApprovalState, number>; releases: QueueEntry[] }> {
  const counted = await db.query<{ approval_state: ApprovalState; n: number }>('SELECT approval_state, count(*)::int AS n FROM app.releases GROUP BY approval_state');
  const counts: Record<ApprovalState, number> = { pending_review: 0, approved: 0, rejected: 0, revoked: 0 };
  for (const row of counted.rows) counts[row.approval_state] = row.n;
  const { rows } = await db.query<QueueEntry>(
    `SELECT r.release_id, r.asset_id, r.request_id, a.dataset_id, a.resource_id, a.data_type, r.ordinal, r.revision, r.version_id,
            r.approval_state, r.clearance_state, r.processing_status, r.requested_access, r.job_id, r.reviewer, r.reviewed_at,
            r.rejection_reason, r.outputs, r.created_at, r.updated_at
       FROM app.releases r JOIN app.assets a USING (asset_id)
      WHERE ($1::text IS NULL OR r.approval_state = $1)
      ORDER BY r.updated_at DESC, r.release_id LIMIT $2 OFFSET $3`,
    [filter.state, filter.limit, filter.offset],
  );
  return { counts, releases: rows };
}
