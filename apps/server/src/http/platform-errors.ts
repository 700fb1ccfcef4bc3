/**
 * The platform flavour of the one error handler: the same catalog error (toMeridianError), written as the
 * B2B contract's envelope `{success:false, error, error_type, ...extra}` with Cache-Control: no-store.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MeridianError, isMeridianError, type ErrorCode } from '@meridian/core';
import { toMeridianError } from './error-handler.ts';

/** Catalog codes → the contract's error_type names. Anything unlisted falls back by HTTP status. */
const ERROR_TYPES: Partial<Record<ErrorCode, string>> = {
  RELEASE_EXISTS: 'ReleaseExistsError',
  RELEASE_STATE_INVALID: 'ReleaseStateError',
  VERSION_CONFLICT: 'VersionConflict',
  JOB_IN_PROGRESS: 'JobInProgress',
  JOB_ALREADY_COMPLETED: 'JobAlreadyCompleted',
  UNAUTHORIZED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  NOT_IMPLEMENTED: 'NotImplemented',
};

const BY_STATUS: Record<number, string> = { 400: 'ValidationError', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 413: 'ValidationError', 501: 'NotImplemented' };

export function platformErrorType(error: MeridianError): string {
  return ERROR_TYPES[error.code] ?? BY_STATUS[error.status] ?? 'InternalError';
}

export function platformErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const meridianError = toMeridianError(error);
  const errorType = platformErrorType(meridianError);
  if (meridianError.code === 'INTERNAL_ERROR' && !isMeridianError(error)) {
    request.log.error({ err: error, stack: (error as Error).stack }, 'unhandled error');
  } else if (meridianError.status >= 500) {
    request.log.error({ err: meridianError }, meridianError.message);
  }
  // A 500 says only that something went wrong: internals (SQL, paths, stacks) stay in the log.
  const internal = errorType === 'InternalError';
  void reply
    .code(internal ? 500 : meridianError.status)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send({
      success: false,
      error: internal ? 'An internal error occurred; report the x-request-id header to the operators.' : meridianError.message,
      error_type: errorType,
      ...(internal ? {} : { error_code: meridianError.code, remedy: meridianError.spec.remedy, ...meridianError.extra }),
    });
}

export function platformNotFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  platformErrorHandler(new MeridianError('NOT_FOUND', `no platform endpoint ${request.method} ${request.url.split('?')[0]}`), request, reply);
}
