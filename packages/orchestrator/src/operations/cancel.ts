import type { Db } from '@meridian/db';
import { MeridianError } from '@meridian/core';
import { withNotices } from '../notifications.ts';
import { storedError } from '../failures.ts';
import { isFinished } from '../states.ts';
import { lockJob } from './lock-job.ts';
import { closeJob } from './close-job.ts';

/** Cancels a queued or running job; its running tasks get an abort signal through their workers. */
export async function cancelJob(db: Db, jobId: string): Promise<void> {
  await withNotices(db, async (tx, notices) => {
    const job = await lockJob(tx, jobId);
    if (!job) throw new MeridianError('JOB_NOT_FOUND', `there is no job ${jobId}`, { job_id: jobId });
    if (isFinished(job.status)) {
      throw new MeridianError('JOB_ALREADY_COMPLETED', `job ${jobId} already ended: ${job.status}`, { job_id: jobId, status: job.status });
    }
    await closeJob(tx, notices, jobId, 'cancelled', storedError(new MeridianError('JOB_CANCELLED', 'the job was cancelled on request')));
  });
}
