import { MeridianError } from '@meridian/core';
import type { ListOptions, SignedUrlOptions } from './blob-store.ts';
import { assertContainer, assertPrefix } from './keys.ts';

/** Validation of method options that both adapters share, so they reject the same inputs the same way. */
export const DEFAULT_LIST_LIMIT = 1000;
// Azure's own ceiling for one List Blobs call; the file adapter keeps to it so pages mean the same.
export const MAX_LIST_LIMIT = 5000;

export interface CheckedList {
  prefix: string;
  delimited: boolean;
  limit: number;
  token: string | undefined;
}

export function checkListOptions(container: string, opts: ListOptions): CheckedList {
  assertContainer(container);
  const prefix = opts.prefix ?? '';
  assertPrefix(prefix);
  if (opts.delimiter !== undefined && opts.delimiter !== '/') {
    throw invalid('delimiter', `The delimiter must be "/", not ${JSON.stringify(opts.delimiter)}.`);
  }
  const limit = opts.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw invalid('limit', `The page limit must be an integer from 1 to ${MAX_LIST_LIMIT}, not ${limit}.`);
  }
  if (opts.token !== undefined && (typeof opts.token !== 'string' || opts.token === '')) throw invalidToken();
  return { prefix, delimited: opts.delimiter === '/', limit, token: opts.token };
}

export function invalidToken(): MeridianError {
  return invalid('token', 'The page token is not valid; use the nextToken of a previous page, unchanged.');
}

export function checkSignedUrlOptions(opts: SignedUrlOptions): void {
  if (!Number.isSafeInteger(opts.expiresInSeconds) || opts.expiresInSeconds < 1) {
    throw invalid('expiresInSeconds', `expiresInSeconds must be a positive integer, not ${opts.expiresInSeconds}.`);
  }
  if (opts.permission !== 'r' && opts.permission !== 'w') {
    throw invalid('permission', `The permission must be "r" or "w", not ${JSON.stringify(opts.permission)}.`);
  }
}

function invalid(field: string, detail: string): MeridianError {
  return new MeridianError('VALIDATION_ERROR', detail, { field });
}
