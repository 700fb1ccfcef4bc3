/**
 * The repository over app.vector_revisions (F7.23): one row per load of a table name, the current one
 * listing every object the load published (tables, split views, STAC items), so an overwrite replaces
 * and an unpublish removes exactly those.
 */
import type { Queryable } from '@meridian/db';
import type { VectorWarning } from './warnings.ts';

export interface RevisionRow {
  revision_id: number;
  table_name: string;
  revision: number;
  status: 'current' | 'superseded' | 'unpublished';
  tables: string[];
  views: string[];
  row_count: number;
  geometry_type: string;
  source_crs: string | null;
  stac_collection_id: string | null;
  stac_item_ids: string[];
  warnings: VectorWarning[];
  source_job_id: string;
  unpublished_by_job_id: string | null;
}

export interface NewRevision {
  tableName: string;
  tables: string[];
  views: string[];
  rowCount: number;
  geometryType: string;
  sourceCrs: string;
  columns: unknown[];
  sourceContainer: string;
  sourceBlob: string;
  stacCollectionId: string | null;
  stacItemIds: string[];
  warnings: VectorWarning[];
  clientRefs: Record<string, string>;
  jobId: string;
  supersedes: number | null;
}

const COLUMNS = `revision_id, table_name, revision, status, tables, views, row_count, geometry_type, source_crs,
  stac_collection_id, stac_item_ids, warnings, source_job_id, unpublished_by_job_id`;

/** The published revision a name belongs to: the name it was loaded as, or one of its tables or views. */
export async function currentRevision(db: Queryable, name: string, options: { forUpdate?: boolean } = {}): Promise<RevisionRow | null> {
  const { rows } = await db.query<RevisionRow>(
    `SELECT ${COLUMNS} FROM app.vector_revisions
      WHERE status = 'current' AND (table_name = $1 OR $1 = ANY (tables) OR $1 = ANY (views))
      ORDER BY (table_name = $1) DESC LIMIT 1 ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [name],
  );
  return rows[0] ?? null;
}

export async function insertRevision(tx: Queryable, entry: NewRevision): Promise<RevisionRow> {
  const { rows } = await tx.query<RevisionRow>(
    `INSERT INTO app.vector_revisions (table_name, revision, tables, views, row_count, geometry_type, source_crs,
       columns, source_container, source_blob, stac_collection_id, stac_item_ids, warnings, client_refs, source_job_id, supersedes)
     SELECT $1, COALESCE(max(revision), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
       FROM app.vector_revisions WHERE table_name = $1
     RETURNING ${COLUMNS}`,
    [
      entry.tableName, entry.tables, entry.views, entry.rowCount, entry.geometryType, entry.sourceCrs,
      JSON.stringify(entry.columns), entry.sourceContainer, entry.sourceBlob, entry.stacCollectionId, entry.stacItemIds,
      JSON.stringify(entry.warnings), JSON.stringify(entry.clientRefs), entry.jobId, entry.supersedes,
    ],
  );
  return rows[0]!;
}

/** Retires the previous revision; done before the new one is inserted (one current revision per name). */
export async function supersede(tx: Queryable, revisionId: number): Promise<void> {
  await tx.query(`UPDATE app.vector_revisions SET status = 'superseded' WHERE revision_id = $1`, [revisionId]);
}

export async function linkSuccessor(tx: Queryable, previousId: number, nextId: number): Promise<void> {
  await tx.query('UPDATE app.vector_revisions SET superseded_by = $2 WHERE revision_id = $1', [previousId, nextId]);
}

export async function markUnpublished(tx: Queryable, revisionId: number, jobId: string): Promise<void> {
  await tx.query(
    `UPDATE app.vector_revisions SET status = 'unpublished', unpublished_at = clock_timestamp(), unpublished_by_job_id = $2
      WHERE revision_id = $1`,
    [revisionId, jobId],
  );
}

/** The revision a job unpublished, so a retry of that job after its commit reports the same result. */
export async function revisionUnpublishedBy(db: Queryable, name: string, jobId: string): Promise<RevisionRow | null> {
  const { rows } = await db.query<RevisionRow>(
    `SELECT ${COLUMNS} FROM app.vector_revisions WHERE table_name = $1 AND unpublished_by_job_id = $2 ORDER BY revision DESC LIMIT 1`,
    [name, jobId],
  );
  return rows[0] ?? null;
}

/** The revision a job published, so a retried finalize knows its swap has committed. */
export async function revisionPublishedBy(db: Queryable, name: string, jobId: string): Promise<RevisionRow | null> {
  const { rows } = await db.query<RevisionRow>(
    `SELECT ${COLUMNS} FROM app.vector_revisions WHERE table_name = $1 AND source_job_id = $2 AND status = 'current'`,
    [name, jobId],
  );
  return rows[0] ?? null;
}
