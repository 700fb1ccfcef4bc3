export * from './blob-store.ts';
export { ZONES, MAX_KEY_LENGTH, zoneOf, isValidContainer, isValidKey, assertContainer, assertKey, assertRef, assertPrefix, type Zone } from './keys.ts';
export { compareKeys } from './key-order.ts';
export { resolveRange } from './byte-range.ts';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './options.ts';
export { FileBlobStore } from './file-store.ts';
export { AzureBlobStore, type AzureStoreOptions } from './azure-store.ts';
export { openBlobStore, type StorageLocation } from './open-store.ts';
