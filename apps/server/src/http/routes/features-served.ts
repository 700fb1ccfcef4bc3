import type { FastifyRequest } from 'fastify';
import { MeridianError } from '@meridian/core';
import { getVisibleCollection, type VectorCollection } from '@meridian/catalog';
import type { Runtime } from '../../runtime.ts';
import { callerVisibility } from '../visibility.ts';

/**
 * The collection if this caller may see it; otherwise COLLECTION_NOT_FOUND, the same answer as for a
 * collection that does not exist (a 404 that confirms nothing).
 */
export async function visibleCollection(runtime: Runtime, request: FastifyRequest, id: string): Promise<VectorCollection> {
  const collection = await getVisibleCollection(runtime.db, id, callerVisibility(request));
  if (!collection) throw collectionNotFound(id);
  return collection;
}

export function collectionNotFound(id: string): MeridianError {
  return new MeridianError('COLLECTION_NOT_FOUND', `collection "${id.slice(0, 100)}" does not exist or is not published`);
}

/** Shared caches may keep only what anyone may see: served, public data. */
export function cacheScope(collection: VectorCollection): 'public' | 'private' {
  return collection.served && collection.accessLevel === 'public' ? 'public' : 'private';
}
