/**
 * What a caller may see of the catalog, decided in one place for every read surface (STAC, raster): reviewers
 * and admins see everything, including data awaiting approval; signed-in readers what is served; anonymous
 * callers what is served and public. With MERIDIAN_AUTH=off every caller is an admin.
 */
import type { FastifyRequest } from 'fastify';
import type { Visibility } from '@meridian/stac';
import { hasRole } from './auth/caller.ts';

export function callerVisibility(request: FastifyRequest): Visibility {
  if (hasRole(request.caller, 'reviewer')) return 'reviewer';
  return request.caller.anonymous ? 'public' : 'authenticated';
}
