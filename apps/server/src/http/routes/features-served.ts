import { MeridianError } from '@meridian/core';
import { getServedCollection, type VectorCollection } from '@meridian/catalog';
import type { Runtime } from '../../runtime.ts';

/** The collection, or COLLECTION_NOT_FOUND when it does not exist or is not served. */
export async function servedCollection(runtime: Runtime, id: string): Promise<VectorCollection> {
  const collection = await getServedCollection(runtime.db, id);
  if (!collection) throw new MeridianError('COLLECTION_NOT_FOUND', `collection "${id.slice(0, 100)}" does not exist or is not published`);
  return collection;
}
