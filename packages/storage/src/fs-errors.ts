import { MeridianError } from '@meridian/core';
import type { BlobRef } from './blob-store.ts';

/** The errno code of a Node.js system error, if it is one (a MeridianError also has a string `code`). */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error) || !('errno' in error)) return undefined;
  return typeof error.code === 'string' && typeof error.errno === 'number' ? error.code : undefined;
}

/** Errors that mean "there is no such blob" when reading: a missing file, or a file where a folder was expected. */
export function isMissing(error: unknown): boolean {
  const code = errnoOf(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

const UNAVAILABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE']);

/**
 * Turns filesystem errors that a caller can act on into catalog errors; anything else is a bug and
 * is returned unchanged so it surfaces as an internal error with its stack.
 */
export function fromFsError(error: unknown, ref?: BlobRef): unknown {
  const code = errnoOf(error);
  if (code === undefined) return error;
  if (UNAVAILABLE.has(code)) {
    return new MeridianError('STORAGE_UNAVAILABLE', `File storage cannot be written or read (${code}).`, {}, { cause: error });
  }
  if (ref === undefined) return error;
  if (code === 'ENAMETOOLONG') {
    return new MeridianError('INVALID_BLOB_KEY', 'A segment of the key is too long for file storage (255 bytes per segment).', { key: ref.key }, { cause: error });
  }
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    return new MeridianError('BLOB_KEY_CONFLICT', `Key "${ref.key}" clashes with an existing blob or folder in "${ref.container}".`, { key: ref.key }, { cause: error });
  }
  return error;
}
