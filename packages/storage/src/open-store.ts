import { AzureBlobStore } from './azure-store.ts';
import type { BlobStore } from './blob-store.ts';
import { FileBlobStore } from './file-store.ts';

/** Where blobs live; the same shape as `config.storage`, declared here so storage does not depend on config. */
export type StorageLocation =
  | { kind: 'file'; root: string }
  | { kind: 'azure'; serviceUrl: string; account: string; accountKey: string };

/** Opens the store without I/O; the first operation (or `check()`) is what touches the disk or network. */
export function openBlobStore(location: StorageLocation): BlobStore {
  switch (location.kind) {
    case 'file':
      return new FileBlobStore(location.root);
    case 'azure':
      return new AzureBlobStore(location);
  }
}
