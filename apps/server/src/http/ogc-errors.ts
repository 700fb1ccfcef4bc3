/**
 * The OGC API flavour of the one error handler: the same catalog error (toMeridianError), the same
 * status, written as the OGC exception body `{code, description}` that OGC API clients expect.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MeridianError, isMeridianError } from '@meridian/core';
import { toMeridianError } from './error-handler.ts';

export function ogcErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const meridianError = toMeridianError(error);
  if (meridianError.status >= 500) {
    request.log.error({ err: isMeridianError(error) ? meridianError : error }, meridianError.message);
  }
  void reply
    .code(meridianError.status)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send({ code: meridianError.code, description: meridianError.message });
}

export function ogcNotFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  ogcErrorHandler(new MeridianError('NOT_FOUND', `no resource at ${request.url.split('?')[0]}`), request, reply);
}
