import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { approvalQueue, listAudit } from '@meridian/platform';
import type { Db } from '@meridian/db';
import { requireRole } from '../auth/auth-hook.ts';

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Timestamp = Type.String({ format: 'date-time' });
export const ApprovalState = Type.Enum(['pending_review', 'approved', 'rejected', 'revoked']);
export const Hex32 = Type.String({ pattern: '^[0-9a-f]{32}$' });

const QueueEntry = Type.Object({
  release_id: Hex32, asset_id: Hex32, request_id: Hex32, dataset_id: Type.String(), resource_id: Type.String(),
  data_type: Type.String(), ordinal: Type.Integer(), revision: Type.Integer(), version_id: nullable(Type.String()),
  approval_state: ApprovalState, clearance_state: Type.String(), processing_status: Type.String(), requested_access: Type.String(),
  job_id: nullable(Type.String()), reviewer: nullable(Type.String()), reviewed_at: nullable(Timestamp),
  rejection_reason: nullable(Type.String()), outputs: Type.Record(Type.String(), Type.Unknown()), created_at: Timestamp, updated_at: Timestamp,
});

const AuditEntry = Type.Object({
  audit_id: Type.Integer(), release_id: Hex32, asset_id: Hex32, action: Type.String(), from_state: nullable(Type.String()),
  to_state: Type.String(), actor: Type.String(), reason: nullable(Type.String()), created_at: Timestamp,
});

const Paging = { limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) };
const tags = ['approvals'];

/** The reviewers' view for the UI: the queue with counts by state, and the history from the audit log. */
export const approvalRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.addHook('preHandler', requireRole('reviewer'));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/api/approvals', {
    schema: {
      tags, summary: 'Releases by approval state, with counts of each state',
      querystring: Type.Object({ state: Type.Optional(ApprovalState), ...Paging }),
      response: { 200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()), releases: Type.Array(QueueEntry) }) },
    },
  }, async (request) => {
    const { counts, releases } = await approvalQueue(db, { state: request.query.state ?? null, limit: request.query.limit, offset: request.query.offset });
    return {
      counts,
      releases: releases.map((r) => ({ ...r, reviewed_at: r.reviewed_at?.toISOString() ?? null, created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() })),
    };
  });

  app.get('/api/approvals/history', {
    schema: {
      tags, summary: 'Release transitions from the append-only audit log, newest first',
      querystring: Type.Object({ release_id: Type.Optional(Hex32), ...Paging }),
      response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }) },
    },
  }, async (request) => {
    const rows = await listAudit(db, { ...(request.query.release_id ? { releaseId: request.query.release_id } : {}), limit: request.query.limit, offset: request.query.offset });
    return { entries: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })) };
  });
};
