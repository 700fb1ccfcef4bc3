import type { Queryable } from '@meridian/db';

/** One platform request as the audit trail keeps it (contract: caller identity on every request). */
export interface ApiRequestEntry {
  httpRequestId: string;
  method: string;
  endpoint: string;
  callerSubject: string | null;
  callerClient: string | null;
  callerRoles: string[];
  status: number;
  bodySha256: string | null;
  platformRequestId: string | null;
  durationMs: number;
}

export async function recordApiRequest(db: Queryable, entry: ApiRequestEntry): Promise<void> {
  await db.query(
    `INSERT INTO app.api_requests (http_request_id, method, endpoint, caller_subject, caller_client, caller_roles, status, body_sha256, platform_request_id, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [entry.httpRequestId, entry.method, entry.endpoint, entry.callerSubject, entry.callerClient, entry.callerRoles, entry.status,
      entry.bodySha256, entry.platformRequestId, entry.durationMs],
  );
}
