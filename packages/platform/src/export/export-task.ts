import { MeridianError } from '@meridian/core';
import { qualified, type Db, type Queryable } from '@meridian/db';
import type { TaskHandler } from '@meridian/orchestrator';
import type { BlobStore } from '@meridian/storage';
import { getRelease, type ReleaseRow } from '../release-store.ts';
import { EXPORT_TASK_TYPE, EXTERNAL_CONTAINER, EXTERNAL_SCHEMA, type ExportPublicParameters } from './export-job.ts';

interface Copy {
  kind: 'table' | 'blob';
  source: string;
  target: string;
}

async function logCopy(db: Queryable, release: ReleaseRow, jobId: string, copy: Copy, action: 'copied' | 'removed'): Promise<void> {
  await db.query(
    'INSERT INTO app.public_exports (release_id, job_id, kind, source, target, action) VALUES ($1, $2, $3, $4, $5, $6)',
    [release.release_id, jobId, copy.kind, copy.source, copy.target, action],
  );
}

/** What the external zone holds of a release: its tables (and views) as tables, its first-tier COG. */
function copiesOf(release: ReleaseRow): Copy[] {
  const { outputs } = release;
  const tables = [...(outputs.table_names ?? []), ...(outputs.views ?? [])].map((table) => ({ kind: 'table' as const, source: `geo.${table}`, target: `${EXTERNAL_SCHEMA}.${table}` }));
  const blob = outputs.blob_path ? [{ kind: 'blob' as const, source: outputs.blob_path, target: `${EXTERNAL_CONTAINER}/${outputs.blob_path}` }] : [];
  return [...tables, ...blob];
}

function splitPath(path: string): { container: string; key: string } {
  const slash = path.indexOf('/');
  return { container: path.slice(0, slash), key: path.slice(slash + 1) };
}

/**
 * Tables are copied in one transaction each (a reader of the external schema never sees half a table);
 * blobs through the store's copy. Both replace earlier copies, so a retried task starts over cleanly.
 */
async function exportCopy(db: Db, store: BlobStore, copy: Copy): Promise<void> {
  if (copy.kind === 'table') {
    const table = copy.source.slice('geo.'.length);
    await db.transaction(async (tx) => {
      await tx.query(`DROP TABLE IF EXISTS ${qualified(EXTERNAL_SCHEMA, table)}`);
      await tx.query(`CREATE TABLE ${qualified(EXTERNAL_SCHEMA, table)} AS SELECT * FROM ${qualified('geo', table)}`);
    });
    return;
  }
  const source = splitPath(copy.source);
  await store.copy(source, { container: EXTERNAL_CONTAINER, key: copy.source });
}

async function withdrawCopy(db: Db, store: BlobStore, copy: Copy): Promise<void> {
  if (copy.kind === 'table') {
    await db.query(`DROP TABLE IF EXISTS ${qualified(EXTERNAL_SCHEMA, copy.source.slice('geo.'.length))}`);
    return;
  }
  await store.delete({ container: EXTERNAL_CONTAINER, key: copy.source });
}

export function exportTaskHandlers(deps: { db: Db; store: BlobStore }): TaskHandler[] {
  return [{
    taskType: EXPORT_TASK_TYPE,
    async run(input, ctx) {
      const parameters = input.parameters as ExportPublicParameters;
      const release = await getRelease(deps.db, parameters.release_id);
      if (!release) throw new MeridianError('RELEASE_NOT_FOUND', `no release ${parameters.release_id}`);
      const exporting = parameters.action === 'export';
      if (exporting && (release.approval_state !== 'approved' || release.clearance_state !== 'public')) {
        throw new MeridianError('RELEASE_STATE_INVALID', `release ${release.release_id} is ${release.approval_state} with clearance ${release.clearance_state}; only approved public releases are exported`);
      }
      const copies = copiesOf(release);
      for (const copy of copies) {
        await (exporting ? exportCopy : withdrawCopy)(deps.db, deps.store, copy);
        await logCopy(deps.db, release, ctx.jobId, copy, exporting ? 'copied' : 'removed');
      }
      return { release_id: release.release_id, action: parameters.action, copies };
    },
  }];
}
