import { canonicalJson, sha256Hex } from '@meridian/core';

/**
 * A job's id is the SHA-256 of its type and (defaulted) parameters in canonical JSON, so submitting the
 * same work twice finds the existing job instead of running it again, whatever the key order.
 */
export function jobIdFor(jobType: string, parameters: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ job_type: jobType, parameters }));
}
