import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { canonicalJson, sha256Hex } from '@meridian/core';
import { isMigrated } from '@meridian/db';
import { recordApiRequest, resubmit, review, status, submit, unpublish, type PlatformContext, type PlatformResponse } from '@meridian/platform';
import type { Runtime } from '../../runtime.ts';
import { requireRole } from '../auth/auth-hook.ts';
import { platformErrorHandler, platformNotFoundHandler } from '../platform-errors.ts';
import { ApproveBody, DryRunQuery, PlatformOk, RejectBody, ResubmitBody, SubmitBody, UnpublishBody, errorResponses } from './platform-schemas.ts';
import { platformWebhookRoutes } from './platform-webhooks.ts';

export interface PlatformRouteOptions {
  runtime: Runtime;
  context: PlatformContext;
}

/** The actor recorded in audit entries: the token subject, else the calling client. */
function actorOf(request: FastifyRequest): string {
  return request.caller.subject ?? request.caller.clientId ?? 'anonymous';
}

function send(reply: FastifyReply, response: PlatformResponse): FastifyReply {
  return reply.code(response.status).send(response.body);
}

/** validate, `?dry_run=true`, or `dry_run: true` in the body (review and unpublish), also when refused. */
function isDryRun(request: FastifyRequest): boolean {
  if (request.routeOptions.url?.endsWith('/validate')) return true;
  const flag = (source: unknown) => {
    const value = source !== null && typeof source === 'object' ? (source as { dry_run?: unknown }).dry_run : undefined;
    return value === true || value === 'true';
  };
  return flag(request.query) || flag(request.body);
}

const tags = ['platform'];

/**
 * The B2B platform API (/api/platform/*), exactly as docs/platform-contract.md describes it: the
 * contract's envelope on every error, no caching, and every request recorded in app.api_requests with
 * the caller's identity — except dry runs, which write nothing and are only logged.
 */
export const platformRoutes: FastifyPluginAsyncTypebox<PlatformRouteOptions> = async (app, { runtime, context }) => {
  app.setErrorHandler(platformErrorHandler);
  app.setNotFoundHandler(platformNotFoundHandler);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.addHook('onResponse', async (request, reply) => {
    const entry = {
      httpRequestId: request.id,
      method: request.method,
      endpoint: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
      callerSubject: request.caller.subject,
      callerClient: request.caller.clientId,
      callerRoles: request.caller.roles,
      status: reply.statusCode,
      bodySha256: request.body === undefined ? null : sha256Hex(canonicalJson(request.body)),
      platformRequestId: (reply.getHeader('x-platform-request-id') as string | undefined) ?? null,
      durationMs: reply.elapsedTime,
    };
    // The contract: a dry run writes nothing at all, so its caller is only in the structured log.
    if (isDryRun(request)) {
      request.log.info({ platform_request: entry, dry_run: true }, 'platform dry run');
      return;
    }
    await recordApiRequest(runtime.db, entry).catch((error: unknown) => request.log.error({ err: error }, 'could not record the platform request'));
  });

  const accept = async (request: FastifyRequest, reply: FastifyReply, dryRun: boolean) => {
    const response = await submit(context, request.body, { dryRun, actor: actorOf(request) });
    reply.header('x-platform-request-id', response.body.request_id as string);
    return send(reply, response);
  };

  app.post('/submit', {
    preHandler: requireRole('submitter'),
    schema: {
      tags, summary: 'Submit a dataset resource for processing (202), or validate it with ?dry_run=true (200)',
      description: 'Creates or revises a release of the asset (dataset_id, resource_id) and starts the job that processes it. 409 ReleaseExistsError when the same identifiers exist without processing_options.overwrite.',
      querystring: DryRunQuery, body: SubmitBody, response: { 200: PlatformOk, 202: PlatformOk, ...errorResponses },
    },
  }, async (request, reply) => accept(request, reply, request.query.dry_run === true));

  app.post('/validate', {
    preHandler: requireRole('submitter'),
    schema: { tags, summary: 'Submit as a dry run: validates everything, writes nothing', body: SubmitBody, response: { 200: PlatformOk, ...errorResponses } },
  }, async (request, reply) => accept(request, reply, true));

  app.get('/status/:id', {
    preHandler: requireRole('reader'),
    schema: {
      tags, summary: 'Status of a request, job, release or asset',
      description: '202 with Retry-After while the job is processing, else 200. Every key of the contract is present (null when not applicable). '
        + 'progress.checkpoint is the last checkpoint a running task of the current stage saved: {phase, saved_at, task_index, data} (data null when over 2 000 characters of JSON), or null.',
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      response: { 200: PlatformOk, 202: PlatformOk, ...errorResponses },
    },
  }, async (request, reply) => {
    const response = await status(context, request.params.id);
    if (response.retryAfter !== null) reply.header('retry-after', String(response.retryAfter));
    reply.header('x-platform-request-id', response.body.request_id as string);
    return send(reply, response);
  });

  for (const action of ['approve', 'reject', 'revoke'] as const) {
    app.post(`/${action}`, {
      preHandler: requireRole('reviewer'),
      schema: {
        tags, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a release (dry_run: true shows what would happen)`,
        body: action === 'approve' ? ApproveBody : RejectBody, response: { 200: PlatformOk, ...errorResponses },
      },
    }, async (request, reply) => send(reply, await review(context, action, request.body)));
  }

  app.post('/unpublish', {
    preHandler: requireRole('submitter'),
    schema: {
      tags, summary: 'Remove a release\'s outputs (table / COGs, STAC item, cached tiles) and revoke it',
      description: 'dry_run lists what would be deleted and writes nothing. An approved release needs force_approved. Repeating an unpublish returns 200 with the same job. '
        + 'A raster release loses every STAC item its job made (each file of a collection, each tier of output_tier all), their COGs and thumbnails.',
      body: UnpublishBody, response: { 200: PlatformOk, 202: PlatformOk, ...errorResponses },
    },
  }, async (request, reply) => send(reply, await unpublish(context, request.body, actorOf(request))));

  app.post('/resubmit', {
    preHandler: requireRole('submitter'),
    schema: { tags, summary: 'Run a release\'s failed job again (force: also a completed or running one)', body: ResubmitBody, response: { 202: PlatformOk, ...errorResponses } },
  }, async (request, reply) => send(reply, await resubmit(context, request.body)));

  app.get('/health', {
    schema: { tags, summary: 'Platform API health: database, job types and auth mode', response: { 200: PlatformOk, 503: PlatformOk } },
  }, async (_request, reply) => {
    const database = await isMigrated(runtime.db).catch(() => false);
    const jobTypes = context.jobs.catalog.list().map((d) => d.name);
    const body = {
      success: true as const,
      status: database ? 'ok' : 'degraded',
      version: runtime.version,
      auth: runtime.config.auth,
      database: database ? 'ok' : 'unavailable',
      data_types: {
        vector: jobTypes.includes('process_vector'),
        raster: jobTypes.includes('process_raster'),
        raster_collection: jobTypes.includes('process_raster_collection'),
        zarr: false,
      },
    };
    return reply.code(database ? 200 : 503).send(body);
  });

  await app.register(platformWebhookRoutes, { context });
};
