import type { FastifyReply, FastifyRequest } from 'fastify';
import { MeridianError } from '@meridian/core';
import { hasRole } from './caller.ts';
import { requireRole } from './auth-hook.ts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function under(route: string, prefix: string): boolean {
  return route === prefix || route.startsWith(`${prefix}/`);
}

const admin = requireRole('admin');
const reviewer = requireRole('reviewer');

/**
 * Who may use the administrative surfaces, in one place (a root preHandler):
 * - writes to storage, jobs and STAC need admin (the platform API is how partners publish);
 * - the jobs API's reads need reviewer (job parameters name data still under review);
 * - blob downloads outside the external (public) zone need reviewer: uploads and processed outputs are
 *   served to everyone else only through the classified surfaces. Others get 404, as if nothing were there.
 */
export async function surfaceGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const route = request.routeOptions.url ?? '';
  const read = READ_METHODS.has(request.method);
  if (!read && ['/api/storage', '/api/jobs', '/api/stac'].some((prefix) => under(route, prefix))) return admin(request, reply);
  if (read && under(route, '/api/jobs')) return reviewer(request, reply);
  if (read && under(route, '/api/storage')) {
    const container = (request.params as { container?: string }).container;
    if (container !== undefined && !container.startsWith('external-') && !hasRole(request.caller, 'reviewer')) {
      throw new MeridianError('BLOB_NOT_FOUND');
    }
  }
}
