import { MeridianError } from '@meridian/core';
import type { BlobRef } from './blob-store.ts';

export function blobNotFound(ref: BlobRef): MeridianError {
  return new MeridianError('BLOB_NOT_FOUND', `Blob "${ref.key}" does not exist in container "${ref.container}".`, {
    container: ref.container,
    key: ref.key,
  });
}
