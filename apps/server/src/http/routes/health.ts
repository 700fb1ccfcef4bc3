import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isMigrated } from '@meridian/db';
import type { Runtime } from '../../runtime.ts';
import type { ExposureMode } from '../../modes.ts';

export type HealthContributor = () => Promise<unknown>;

interface Check {
  ok: boolean;
  detail?: string;
  latency_ms?: number;
}

async function timed(fn: () => Promise<string | undefined>): Promise<Check> {
  const started = performance.now();
  try {
    const detail = await fn();
    return { ok: true, latency_ms: Math.round((performance.now() - started) * 10) / 10, ...(detail ? { detail } : {}) };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

const CheckSchema = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()), latency_ms: Type.Optional(Type.Number()) });

export const healthRoutes: FastifyPluginAsyncTypebox<{ runtime: Runtime; mode: ExposureMode; contributors: Record<string, HealthContributor> }> = async (app, { runtime, mode, contributors }) => {
  const database = () =>
    timed(async () => {
      if (!(await isMigrated(runtime.db))) throw new Error('migrations are not applied; run `meridian migrate`');
      return runtime.db.kind;
    });
  const storage = () =>
    timed(async () => {
      await runtime.store.check();
      return runtime.store.kind;
    });

  app.get('/api/livez', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/api/readyz', {
    schema: {
      tags: ['health'],
      summary: 'Ready to serve: database reachable and migrated, storage writable',
      response: {
        200: Type.Object({ status: Type.Literal('ready'), checks: Type.Record(Type.String(), CheckSchema) }),
        503: Type.Object({ status: Type.Literal('unavailable'), failing: Type.Array(Type.String()), checks: Type.Record(Type.String(), CheckSchema) }),
      },
    },
  }, async (_request, reply) => {
    const checks = { database: await database(), storage: await storage() };
    const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
    reply.header('cache-control', 'no-store');
    if (failing.length) return reply.code(503).send({ status: 'unavailable' as const, failing, checks });
    return { status: 'ready' as const, checks };
  });

  app.get('/api/health', {
    schema: {
      tags: ['health'],
      summary: 'Version, uptime, mode, database, storage, workers and queue backlog',
      response: {
        200: Type.Object({
          status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
          version: Type.String(),
          mode: Type.String(),
          started_at: Type.String(),
          uptime_seconds: Type.Number(),
          auth: Type.String(),
          database: CheckSchema,
          storage: CheckSchema,
        }, { additionalProperties: true }),
      },
    },
  }, async (_request, reply) => {
    const [db, store] = await Promise.all([database(), storage()]);
    const extra: Record<string, unknown> = {};
    for (const [name, contributor] of Object.entries(contributors)) {
      extra[name] = await contributor().catch((error: Error) => ({ ok: false, detail: error.message }));
    }
    reply.header('cache-control', 'no-store');
    return {
      status: db.ok && store.ok ? ('ok' as const) : ('degraded' as const),
      version: runtime.version,
      mode,
      started_at: runtime.startedAt.toISOString(),
      uptime_seconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
      auth: runtime.config.auth,
      database: db,
      storage: store,
      ...extra,
    };
  });
};
