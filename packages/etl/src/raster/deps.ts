/**
 * What the raster task handlers are built from (the server passes its runtime), and the rule
 * for keeping a task's work directory when it stops.
 */
import type { Config } from '@meridian/config';
import type { Db } from '@meridian/db';
import { abortReason, classifyError } from '@meridian/orchestrator';
import type { BlobStore } from '@meridian/storage';

export interface RasterDeps {
  db: Db;
  store: BlobStore;
  config: Config;
}

/**
 * Whether the files a stopped task leaves should stay for its next run: yes when it will run again here
 * and can resume from them (shutdown, timeout, a transient error) or when another worker took it over
 * (it may be using the same directory); no when the task is over (cancelled, or failed for good).
 */
export function keepsWorkForRetry(error: unknown, signal: AbortSignal): boolean {
  const reason = abortReason(signal);
  if (reason === 'cancelled') return false;
  if (reason !== null) return true;
  return !classifyError(error).permanent;
}
