import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MeridianError } from '@meridian/core';
import type { Config } from '@meridian/config';
import { anonymousCaller, hasRole, unauthenticatedAdmin, type Caller, type Role } from './caller.ts';
import { TokenVerifier } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set for every request before any route runs. */
    caller: Caller;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Installs caller identification on the root instance (so every surface sees `request.caller`):
 * with MERIDIAN_AUTH=off every caller is an admin; with oidc a request without a token is anonymous and
 * a request with a token that does not verify is refused with 401.
 */
export function installAuth(app: FastifyInstance, config: Config): void {
  const verifier = config.oidc ? new TokenVerifier(config.oidc) : null;
  app.decorateRequest('caller', null as unknown as Caller);
  app.addHook('onRequest', async (request) => {
    const userAgent = typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null;
    if (!verifier) {
      request.caller = unauthenticatedAdmin(userAgent);
      return;
    }
    const header = request.headers.authorization;
    if (header === undefined) {
      request.caller = anonymousCaller(userAgent);
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new MeridianError('UNAUTHORIZED', 'the Authorization header must be "Bearer <token>"');
    request.caller = await verifier.verify(token, userAgent);
  });
}

/** A preHandler that lets the request through only when the caller holds `role` (401 if anonymous). */
export function requireRole(role: Role): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request) => {
    if (hasRole(request.caller, role)) return;
    if (request.caller.anonymous) throw new MeridianError('UNAUTHORIZED', `this operation needs a bearer token with the "${role}" role`);
    throw new MeridianError('FORBIDDEN', `this operation needs the "${role}" role`, { required_role: role });
  };
}
