import type { PlatformContext } from '../context.ts';
import type { ReleaseRow } from '../release-store.ts';
import { runJob } from '../run-job.ts';
import { exportPublicJob } from './export-job.ts';

/**
 * Starts the export of an approved public release to the external zone, or the withdrawal of its copies
 * (revoke, unpublish). A deployment whose engine does not run export_public has no external zone: null.
 */
export async function scheduleExport(ctx: PlatformContext, release: ReleaseRow, action: 'export' | 'withdraw'): Promise<string | null> {
  if (!ctx.jobs.catalog.list().some((d) => d.name === exportPublicJob.name)) return null;
  const job = await runJob(ctx.jobs, exportPublicJob.name, { release_id: release.release_id, action });
  return job.job_id;
}
