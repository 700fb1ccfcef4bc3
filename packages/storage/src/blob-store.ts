import type { Readable } from 'node:stream';

/** Where a blob lives: a container (one per zone and dataset family) and a key inside it. */
export interface BlobRef {
  container: string;
  key: string;
}

export interface BlobInfo {
  container: string;
  key: string;
  size: number;
  lastModified: Date;
  /** Opaque, changes whenever the content does; without quotes (HTTP's ETag header adds them). */
  etag: string;
  contentType?: string;
}

/** What identifies one content of a blob: its size and ETag (see BlobInfo). */
export interface BlobVersion {
  size: number;
  etag: string;
}

export interface ListPage {
  items: BlobInfo[];
  /** With `delimiter: '/'`: the "folders" directly under the prefix, each ending with '/'. */
  prefixes: string[];
  /** Pass back as `token` to get the next page; null on the last page. */
  nextToken: string | null;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: '/';
  /** Items plus prefixes per page; 1 to 5000 (Azure's maximum), default 1000. */
  limit?: number;
  token?: string;
}

export interface PutOptions {
  /** Defaults to application/octet-stream, as Azure does. */
  contentType?: string;
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface PutFileOptions {
  /** Defaults to application/octet-stream, as Azure does. */
  contentType?: string;
  /**
   * The caller gives the file up: it is removed once the blob is in place (and left untouched when the put
   * fails). File storage then takes the file itself when it lies on the same filesystem (a hard link
   * renamed into place: no bytes copied) and copies it otherwise — so a moved file must not be written
   * through another name (hard link) it may still have.
   */
  move?: boolean;
  signal?: AbortSignal;
}

/** A byte range, both ends inclusive, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface RangeRequest {
  start: number;
  /** Inclusive; past the end of the blob it is clipped, as HTTP does. Omitted: to the end. */
  end?: number;
}

export interface BlobDownload {
  info: BlobInfo;
  /** Must be read to the end or destroyed, or it holds a file handle or socket. */
  body: Readable;
  /** Present when a range was asked for: the bytes actually returned. */
  range?: ByteRange;
}

export interface SignedUrlOptions {
  expiresInSeconds: number;
  permission: 'r' | 'w';
}

/**
 * Blob storage as every other package sees it. Both adapters pass one conformance suite
 * (test/conformance.ts), so callers never branch on `kind` except to use `localPath`.
 * Every method validates its container and key first (see keys.ts) and throws MeridianError:
 * INVALID_CONTAINER_NAME, INVALID_BLOB_KEY, INVALID_RANGE, BLOB_NOT_FOUND, PAYLOAD_TOO_LARGE,
 * STORAGE_UNAVAILABLE, and on file storage BLOB_KEY_CONFLICT.
 */
export interface BlobStore {
  readonly kind: 'file' | 'azure';
  /**
   * Streams the body in; the blob appears whole or not at all. A failed, aborted or oversized put
   * leaves nothing new behind (an existing blob under the key is kept). Over `maxBytes`:
   * PAYLOAD_TOO_LARGE. Aborted through `signal`: rejects with the signal's reason.
   */
  put(ref: BlobRef, body: Readable | Buffer | string, opts?: PutOptions): Promise<BlobInfo>;
  /**
   * Puts a local file (e.g. a tool's output), with put's guarantees: the blob appears whole or not at
   * all, and a failed or aborted put leaves nothing new behind. The file must not change while it is put.
   */
  putFile(ref: BlobRef, path: string, opts?: PutFileOptions): Promise<BlobInfo>;
  /** Missing: BLOB_NOT_FOUND. A range starting at or past the end: INVALID_RANGE (extra.size). */
  get(ref: BlobRef, range?: RangeRequest): Promise<BlobDownload>;
  /** Up to `length` bytes from `start`, fewer at the end of the blob; for COG and Zarr reads. */
  readRange(ref: BlobRef, start: number, length: number): Promise<Buffer>;
  head(ref: BlobRef): Promise<BlobInfo | null>;
  /**
   * Size and ETag only, the same as head() reports: how a reader that keeps something parsed from a blob
   * (a COG's header) checks it is unchanged on every request. The file store reads no content-type
   * sidecar for it, so it costs half of head().
   */
  version(ref: BlobRef): Promise<BlobVersion | null>;
  /** One page, sorted by key; tokens stay valid while blobs are added or removed. */
  list(container: string, opts?: ListOptions): Promise<ListPage>;
  /** Only containers whose names are valid here (zone-prefixed), sorted. */
  listContainers(): Promise<string[]>;
  /** True when something was deleted. */
  delete(ref: BlobRef): Promise<boolean>;
  /** Deletes every blob whose key starts with `prefix` ('' empties the container); returns how many. */
  deletePrefix(container: string, prefix: string): Promise<number>;
  copy(from: BlobRef, to: BlobRef): Promise<BlobInfo>;
  /** Azure: a SAS URL. File storage: null (serve the bytes through the API instead). */
  signedUrl(ref: BlobRef, opts: SignedUrlOptions): Promise<string | null>;
  /** Resolves when the store can be reached and written; otherwise STORAGE_UNAVAILABLE. */
  check(): Promise<void>;
  /** File storage only: the absolute path of the blob, for tools such as GDAL that read files. */
  localPath?(ref: BlobRef): string;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
