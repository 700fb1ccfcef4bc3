/**
 * unpublish_vector: the inventory of what a load published (tables, split views, catalog rows, STAC
 * items), and its removal in one transaction. A table that is not there is TABLE_NOT_FOUND; a dry run
 * only reports the inventory. The source upload in the bronze zone is never touched.
 */
import { MeridianError } from '@meridian/core';
import type { Db, Queryable } from '@meridian/db';
import { deleteItem, getItem } from '@meridian/stac';
import { deleteCatalogRows, dropObjects, existingObjects } from './published-objects.ts';
import { unpublishTableName, type UnpublishVectorParameters } from './parameters.ts';
import { currentRevision, markUnpublished, revisionUnpublishedBy, type RevisionRow } from './vector-revisions.ts';

export interface VectorInventory {
  table_name: string;
  revision: number | null;
  tables: string[];
  views: string[];
  catalog_rows: string[];
  stac_items: { collection: string; id: string }[];
}

export interface UnpublishResult {
  table_name: string;
  dry_run: boolean;
  would_delete?: VectorInventory;
  deleted?: VectorInventory;
}

async function catalogRowsOf(db: Queryable, names: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>('SELECT table_name FROM geo.table_catalog WHERE table_name = ANY ($1::text[]) ORDER BY table_name', [names]);
  return rows.map((r) => r.table_name);
}

async function stacItemsOf(db: Queryable, revision: RevisionRow): Promise<VectorInventory['stac_items']> {
  const collection = revision.stac_collection_id;
  if (!collection) return [];
  const items: VectorInventory['stac_items'] = [];
  for (const id of revision.stac_item_ids) {
    if (await getItem(db, collection, id, 'reviewer')) items.push({ collection, id });
  }
  return items;
}

/**
 * What unpublishing `name` would remove: the load it names (through app.vector_revisions), or a table,
 * view or catalog row of that name made some other way; null when there is nothing.
 */
export async function vectorInventory(db: Queryable, name: string, options: { forUpdate?: boolean } = {}): Promise<VectorInventory | null> {
  const revision = await currentRevision(db, name, options);
  if (revision && revision.table_name !== name) {
    throw new MeridianError('JOB_PARAMETERS_INVALID', `geo.${name} is part of the load "${revision.table_name}" (its tables: ${revision.tables.join(', ')}); unpublish "${revision.table_name}"`, { parameter: 'table_name' });
  }
  if (revision) {
    const names = [...revision.tables, ...revision.views];
    const present = await existingObjects(db, names);
    return {
      table_name: name,
      revision: revision.revision,
      tables: revision.tables.filter((t) => present.some((p) => p.name === t)),
      views: revision.views.filter((v) => present.some((p) => p.name === v)),
      catalog_rows: await catalogRowsOf(db, names),
      stac_items: await stacItemsOf(db, revision),
    };
  }
  const objects = await existingObjects(db, [name]);
  if (objects.length === 0) return null;
  const { rows } = await db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`geo.${name}`]);
  const kind = objects[0]!.kind;
  return {
    table_name: name,
    revision: null,
    tables: rows[0]!.exists && kind === 'table' ? [name] : [],
    views: rows[0]!.exists && kind === 'view' ? [name] : [],
    catalog_rows: await catalogRowsOf(db, [name]),
    stac_items: [],
  };
}

function notFound(name: string): MeridianError {
  return new MeridianError('TABLE_NOT_FOUND', `there is no published vector table geo.${name}`, { table_name: name });
}

export async function unpublishStage(db: Db, parameters: UnpublishVectorParameters, jobId: string): Promise<UnpublishResult> {
  const name = unpublishTableName(parameters);
  if (parameters.dry_run) {
    const inventory = await vectorInventory(db, name);
    if (!inventory) throw notFound(name);
    return { table_name: name, dry_run: true, would_delete: inventory };
  }
  const deleted = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`meridian.vector.${name}`]);
    const inventory = await vectorInventory(tx, name, { forUpdate: true });
    if (!inventory) return null;
    await dropObjects(tx, inventory.tables, inventory.views);
    await deleteCatalogRows(tx, inventory.catalog_rows);
    for (const item of inventory.stac_items) await deleteItem(tx, item.collection, item.id);
    const revision = await currentRevision(tx, name);
    if (revision) await markUnpublished(tx, revision.revision_id, jobId);
    return inventory;
  });
  if (deleted) return { table_name: name, dry_run: false, deleted };
  // A retry of this job after its transaction committed: report what it removed then.
  const done = await revisionUnpublishedBy(db, name, jobId);
  if (!done) throw notFound(name);
  return { table_name: name, dry_run: false, deleted: { table_name: name, revision: done.revision, tables: done.tables, views: done.views, catalog_rows: [...done.tables, ...done.views], stac_items: done.stac_item_ids.map((id) => ({ collection: done.stac_collection_id!, id })) } };
}
