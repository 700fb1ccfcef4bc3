import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import { deleteEndpoint, listDeliveries, listEndpoints, registerEndpoint, type PlatformContext } from '@meridian/platform';
import { requireRole } from '../auth/auth-hook.ts';
import { PlatformOk, WebhookBody, errorResponses } from './platform-schemas.ts';

const tags = ['platform'];

/** Registered webhook endpoints and the log of every delivery attempt (admin). */
export const platformWebhookRoutes: FastifyPluginAsyncTypebox<{ context: PlatformContext }> = async (app, { context }) => {
  app.addHook('preHandler', requireRole('admin'));

  app.post('/webhooks', {
    schema: { tags, summary: 'Register a webhook endpoint (the secret is returned once)', body: WebhookBody, response: { 201: PlatformOk, ...errorResponses } },
  }, async (request, reply) => {
    const endpoint = await registerEndpoint(context.db, { url: request.body.url, events: request.body.events ?? [], secret: request.body.secret ?? null });
    return reply.code(201).send({ success: true, ...endpoint, created_at: endpoint.created_at.toISOString() });
  });

  app.get('/webhooks', {
    schema: { tags, summary: 'Registered webhook endpoints', response: { 200: PlatformOk, ...errorResponses } },
  }, async () => ({ success: true as const, endpoints: (await listEndpoints(context.db)).map((e) => ({ ...e, created_at: e.created_at.toISOString() })) }));

  app.delete('/webhooks/:endpoint_id', {
    schema: { tags, summary: 'Deactivate a webhook endpoint', params: Type.Object({ endpoint_id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }), response: { 200: PlatformOk, ...errorResponses } },
  }, async (request) => {
    if (!(await deleteEndpoint(context.db, request.params.endpoint_id))) throw new MeridianError('NOT_FOUND', `no active webhook endpoint ${request.params.endpoint_id}`);
    return { success: true as const, endpoint_id: request.params.endpoint_id, active: false };
  });

  app.get('/webhooks/deliveries', {
    schema: {
      tags, summary: 'Every delivery attempt, newest first',
      querystring: Type.Object({ event_id: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
      response: { 200: PlatformOk, ...errorResponses },
    },
  }, async (request) => ({
    success: true as const,
    deliveries: (await listDeliveries(context.db, { eventId: request.query.event_id ?? null, limit: request.query.limit })).map((d) => ({ ...d, created_at: d.created_at.toISOString() })),
  }));
};
