/**
 * The swap: one transaction moves the built staging tables into schema geo (dropping what they replace),
 * creates the split views, writes the catalog rows, the STAC items and the revision. Readers see the old
 * table or the new one, never a half; a failure before the commit leaves the published side untouched.
 */
import { MeridianError } from '@meridian/core';
import { ident, qualified, type Db, type Queryable } from '@meridian/db';
import { upsertVectorTable, type AccessLevel } from '@meridian/catalog';
import { deleteItem, ensureCollection, getItem, setItemClassification, upsertItems, type Classification } from '@meridian/stac';
import { GEOMETRY_COLUMN, ID_COLUMN } from './column-names.ts';
import type { GeometryType } from './geometry-rules.ts';
import { deleteCatalogRows, dropObjects, existingObjects } from './published-objects.ts';
import { PUBLISHED_SCHEMA, STAGING_SCHEMA, type Family } from './staging-tables.ts';
import { vectorCollection, vectorItem } from './stac-document.ts';
import type { IndexSpec, TableStats } from './table-build.ts';
import type { PlannedColumn } from './validate-stage.ts';
import { currentRevision, insertRevision, linkSuccessor, supersede, type RevisionRow } from './vector-revisions.ts';
import type { VectorWarning } from './warnings.ts';

export interface ViewToPublish {
  name: string;
  /** The split column's value as text; null selects the rows without one. */
  value: string | null;
  stats: TableStats;
}

export interface TableToPublish {
  name: string;
  staging: string;
  family: Family | null;
  geometryType: GeometryType;
  stats: TableStats;
  indexes: IndexSpec[];
  views: ViewToPublish[];
  stacItemId: string | null;
}

export interface PublishRequest {
  jobId: string;
  /** The name the load was asked for (its split tables and views hang off it). */
  baseName: string;
  overwrite: boolean;
  title: string;
  description: string;
  columns: PlannedColumn[];
  temporalProperty: string | null;
  splitColumn: string | null;
  sourceCrs: string;
  source: { container: string; blob: string };
  classification: { accessLevel: AccessLevel; served: boolean };
  stacCollection: string | null;
  clientRefs: Record<string, string>;
  tables: TableToPublish[];
  /** The load's own staging table when it was split into per-kind tables (dropped with the swap). */
  splitFrom: string | null;
  warnings: VectorWarning[];
  publicUrl: string;
}

/** The names this load publishes that belong to someone else: refused, or dropped when overwriting. */
async function clashingObjects(tx: Queryable, request: PublishRequest, previous: RevisionRow | null) {
  const owned = new Set(previous ? [...previous.tables, ...previous.views] : []);
  const names = request.tables.flatMap((t) => [t.name, ...t.views.map((v) => v.name)]);
  const clashes = (await existingObjects(tx, names)).filter((o) => !owned.has(o.name));
  for (const clash of clashes) {
    const owner = await currentRevision(tx, clash.name);
    if (owner && owner.table_name !== request.baseName) {
      throw new MeridianError('TABLE_EXISTS', `geo.${clash.name} belongs to the load of "${owner.table_name}"; choose another table_name`, { table_name: clash.name });
    }
  }
  if (clashes.length && !request.overwrite) {
    throw new MeridianError('TABLE_EXISTS', `geo.${clashes[0]!.name} exists already; give another table_name or overwrite: true`, { table_name: clashes[0]!.name });
  }
  return clashes;
}

async function moveIntoPlace(tx: Queryable, table: TableToPublish): Promise<void> {
  await tx.execScript(`ALTER TABLE ${qualified(STAGING_SCHEMA, table.staging)} SET SCHEMA ${ident(PUBLISHED_SCHEMA)}`);
  await tx.execScript(`ALTER TABLE ${qualified(PUBLISHED_SCHEMA, table.staging)} RENAME TO ${ident(table.name)}`);
  for (const index of table.indexes) {
    await tx.execScript(`ALTER INDEX ${qualified(PUBLISHED_SCHEMA, index.staging)} RENAME TO ${ident(index.published)}`);
  }
  const key = table.indexes.find((i) => i.unique)!;
  const target = qualified(PUBLISHED_SCHEMA, table.name);
  await tx.execScript(`ALTER TABLE ${target} ADD CONSTRAINT ${ident(key.published)} PRIMARY KEY USING INDEX ${ident(key.published)}`);
  await tx.execScript(`ALTER TABLE ${target} RESET (autovacuum_enabled)`);
}

/** A view literal cannot be a bind parameter: the server quotes it (quote_literal), nothing here does. */
async function createView(tx: Queryable, view: ViewToPublish, table: string, column: string): Promise<void> {
  let condition = `${ident(column)} IS NULL`;
  if (view.value !== null) {
    const { rows } = await tx.query<{ literal: string }>('SELECT quote_literal($1::text) AS literal', [view.value]);
    condition = `(${ident(column)})::text = ${rows[0]!.literal}`;
  }
  await tx.execScript(`CREATE VIEW ${qualified(PUBLISHED_SCHEMA, view.name)} AS SELECT * FROM ${qualified(PUBLISHED_SCHEMA, table)} WHERE ${condition}`);
}

function familyTitle(title: string, family: Family | null): string {
  return family ? `${title} (${family}s)` : title;
}

async function writeCatalogRows(tx: Queryable, request: PublishRequest, jobId: string): Promise<void> {
  const common = {
    description: request.description,
    geometryColumn: GEOMETRY_COLUMN,
    idColumn: ID_COLUMN,
    temporalProperty: request.temporalProperty,
    sourceCrs: request.sourceCrs,
    columns: request.columns.map((c) => ({ name: c.name, type: c.type, original_name: c.original_name })),
    sourceContainer: request.source.container,
    sourceBlob: request.source.blob,
    jobId,
    accessLevel: request.classification.accessLevel,
    served: request.classification.served,
  };
  const entry = (name: string, title: string, geometryType: GeometryType, stats: TableStats) => ({
    ...common, tableName: name, title, geometryType, bbox: stats.bbox, temporalStart: stats.temporalStart, temporalEnd: stats.temporalEnd, featureCount: stats.rowCount,
  });
  for (const table of request.tables) {
    const title = familyTitle(request.title, table.family);
    await upsertVectorTable(tx, entry(table.name, title, table.geometryType, table.stats));
    for (const view of table.views) {
      await upsertVectorTable(tx, entry(view.name, `${title}: ${request.splitColumn} = ${view.value ?? 'none'}`, table.geometryType, view.stats));
    }
  }
}

/** The items of this load, and the removal of the previous load's items it does not replace. */
async function writeStacItems(tx: Queryable, request: PublishRequest, revision: number, previous: RevisionRow | null): Promise<void> {
  const classification: Classification = request.classification;
  const keep = new Set<string>();
  if (request.stacCollection) {
    const collection = request.stacCollection;
    const now = new Date().toISOString();
    const items = request.tables.filter((t) => t.stacItemId).map((t) => vectorItem({
      id: t.stacItemId!, collection, table: t.name, title: familyTitle(request.title, t.family), description: request.description,
      geometryType: t.geometryType, stats: t.stats, columns: request.columns, sourceCrs: request.sourceCrs, source: request.source,
      revision, clientRefs: request.clientRefs, publicUrl: request.publicUrl, now,
    }));
    await ensureCollection(tx, vectorCollection(collection), { accessLevel: 'public', served: true });
    await upsertItems(tx, collection, items, classification);
    // A replaced item keeps its classification; this load's parameters decide it.
    for (const item of items) await setItemClassification(tx, collection, item.id, classification);
    for (const item of items) keep.add(`${collection}/${item.id}`);
  }
  if (!previous?.stac_collection_id) return;
  for (const id of previous.stac_item_ids) {
    if (keep.has(`${previous.stac_collection_id}/${id}`)) continue;
    if (await getItem(tx, previous.stac_collection_id, id, 'reviewer')) await deleteItem(tx, previous.stac_collection_id, id);
  }
}

export async function publishLoad(db: Db, request: PublishRequest): Promise<RevisionRow> {
  return db.transaction(async (tx) => {
    // Two loads of one name publish one after the other.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`meridian.vector.${request.baseName}`]);
    const found = await currentRevision(tx, request.baseName, { forUpdate: true });
    if (found && found.table_name !== request.baseName) {
      throw new MeridianError('TABLE_EXISTS', `geo.${request.baseName} belongs to the load of "${found.table_name}"; choose another table_name`, { table_name: request.baseName });
    }
    if (found && !request.overwrite) {
      throw new MeridianError('TABLE_EXISTS', `table geo.${request.baseName} exists already; give another table_name or overwrite: true`, { table_name: request.baseName });
    }
    const clashes = await clashingObjects(tx, request, found);
    const published = new Set(request.tables.flatMap((t) => [t.name, ...t.views.map((v) => v.name)]));
    const oldViews = [...(found?.views ?? []), ...clashes.filter((c) => c.kind === 'view').map((c) => c.name)];
    const oldTables = [...(found?.tables ?? []), ...clashes.filter((c) => c.kind === 'table').map((c) => c.name)];
    await dropObjects(tx, oldTables, oldViews);
    await deleteCatalogRows(tx, [...oldTables, ...oldViews, ...clashes.map((c) => c.name)].filter((n) => !published.has(n)));
    for (const table of request.tables) {
      await moveIntoPlace(tx, table);
      for (const view of table.views) await createView(tx, view, table.name, request.splitColumn!);
    }
    if (request.splitFrom) await tx.execScript(`DROP TABLE ${qualified(STAGING_SCHEMA, request.splitFrom)}`);
    await writeCatalogRows(tx, request, request.jobId);
    if (found) await supersede(tx, found.revision_id);
    const revision = await insertRevision(tx, {
      tableName: request.baseName,
      tables: request.tables.map((t) => t.name),
      views: request.tables.flatMap((t) => t.views.map((v) => v.name)),
      rowCount: request.tables.reduce((n, t) => n + t.stats.rowCount, 0),
      geometryType: request.tables.length === 1 ? request.tables[0]!.geometryType : 'Geometry',
      sourceCrs: request.sourceCrs,
      columns: request.columns,
      sourceContainer: request.source.container,
      sourceBlob: request.source.blob,
      stacCollectionId: request.stacCollection,
      stacItemIds: request.tables.flatMap((t) => (t.stacItemId ? [t.stacItemId] : [])),
      warnings: request.warnings,
      clientRefs: request.clientRefs,
      jobId: request.jobId,
      supersedes: found?.revision_id ?? null,
    });
    if (found) await linkSuccessor(tx, found.revision_id, revision.revision_id);
    await writeStacItems(tx, request, revision.revision, found);
    return revision;
  });
}
