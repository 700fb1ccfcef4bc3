import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MeridianError, isMeridianError, redact } from '@meridian/core';

/**
 * The one error handler: every failure becomes a catalog error. Schema validation failures name the
 * field; anything unexpected is logged with its stack and answered as INTERNAL_ERROR with no internals.
 */
export function toMeridianError(error: unknown): MeridianError {
  if (isMeridianError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'request';
    const first = fastifyError.validation[0];
    const field = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const extraField = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    if (extraField) return new MeridianError('UNKNOWN_PARAMETER', `${where}: unknown field "${extraField}"`, { field: extraField });
    return new MeridianError('VALIDATION_ERROR', `${where}${field ? `.${field}` : ''} ${first?.message ?? 'is not valid'}`, field ? { field } : {});
  }
  if (fastifyError.statusCode === 404) return new MeridianError('NOT_FOUND');
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new MeridianError('PAYLOAD_TOO_LARGE');
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new MeridianError('VALIDATION_ERROR', redact(fastifyError.message));
  }
  return new MeridianError('INTERNAL_ERROR');
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const meridianError = toMeridianError(error);
  if (meridianError.code === 'INTERNAL_ERROR' && !isMeridianError(error)) {
    request.log.error({ err: error, stack: (error as Error).stack }, 'unhandled error');
  } else if (meridianError.status >= 500) {
    request.log.error({ err: meridianError }, meridianError.message);
  }
  void reply
    .code(meridianError.status)
    .header('cache-control', 'no-store')
    .send({ ...meridianError.toJSON(), request_id: request.id });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  errorHandler(new MeridianError('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`), request, reply);
}
