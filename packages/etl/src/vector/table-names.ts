/**
 * Whether a table name is taken: by a published load (its base name, tables or views), by a table or
 * view of schema geo that something else made, or by a catalog row.
 */
import type { Queryable } from '@meridian/db';
import { existingObjects } from './published-objects.ts';
import { currentRevision } from './vector-revisions.ts';

export async function tableNameTaken(db: Queryable, name: string): Promise<boolean> {
  if (await currentRevision(db, name)) return true;
  return (await existingObjects(db, [name])).length > 0;
}
