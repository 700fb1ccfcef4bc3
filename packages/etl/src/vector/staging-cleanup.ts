/**
 * When a load's staging tables are dropped after a failure: when nothing will come back to them. That is
 * bad input (a permanent error), a cancelled job, or the last attempt the engine allows — a shutdown or
 * a lost lease leaves them for the run that takes the task over.
 */
import { abortReason, classifyError, type TaskContext } from '@meridian/orchestrator';

/** Retries of a vector task after a transient error (the vector job types declare it). */
export const VECTOR_MAX_RETRIES = 3;

export function abandonsStaging(error: unknown, ctx: TaskContext): boolean {
  const reason = abortReason(ctx.signal);
  if (reason === 'cancelled') return true;
  if (reason === 'shutdown' || reason === 'lease_lost') return false;
  // attempt counts every claim of the task: past the retries, this one may be its last.
  return classifyError(error).permanent || ctx.attempt > VECTOR_MAX_RETRIES;
}
