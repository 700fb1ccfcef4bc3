import { open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  type BlobItem,
  type BlockBlobClient,
  type ContainerClient,
} from '@azure/storage-blob';
import { MeridianError } from '@meridian/core';
import { fromAzureError, statusOf } from './azure-errors.ts';
import { blobNotFound } from './blob-not-found.ts';
import {
  DEFAULT_CONTENT_TYPE,
  type BlobDownload,
  type BlobInfo,
  type BlobVersion,
  type BlobRef,
  type BlobStore,
  type ListOptions,
  type ListPage,
  type PutFileOptions,
  type PutOptions,
  type RangeRequest,
  type SignedUrlOptions,
} from './blob-store.ts';
import { checkSize, meterBody } from './byte-limit.ts';
import { assertRangeRequest, readRangeRequest, unsatisfiable } from './byte-range.ts';
import { compareKeys } from './key-order.ts';
import { assertContainer, assertPrefix, assertRef, isValidContainer } from './keys.ts';
import { mapConcurrent } from './map-concurrent.ts';
import { checkListOptions, checkSignedUrlOptions, invalidToken } from './options.ts';

export interface AzureStoreOptions {
  /** The Blob service endpoint, e.g. https://ACCOUNT.blob.core.windows.net or Azurite's http://127.0.0.1:10000/ACCOUNT. */
  serviceUrl: string;
  account: string;
  accountKey: string;
}

// Streamed uploads hold at most BLOCK_SIZE × UPLOAD_BUFFERS in memory, whatever the upload's size.
const BLOCK_SIZE = 4 * 1024 * 1024;
const UPLOAD_BUFFERS = 4;
const DELETE_CONCURRENCY = 16;
// Readiness probes must answer quickly; the SDK's own retries could otherwise take minutes.
const CHECK_TIMEOUT_MS = 5000;
// SAS start times are backdated so clocks a little behind Azure's still accept the URL at once.
const SAS_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Blobs in Azure Blob Storage (or Azurite), authorised with the account's shared key. Uploads are block
 * blobs: staged blocks become visible only when the block list is committed, which happens after the
 * whole body has arrived within its limit, so a failed put leaves nothing behind.
 */
export class AzureBlobStore implements BlobStore {
  readonly kind = 'azure' as const;
  readonly #service: BlobServiceClient;
  // Containers known to exist, so a put costs one extra request per container and process, not per blob.
  readonly #containers = new Set<string>();

  constructor(options: AzureStoreOptions) {
    this.#service = new BlobServiceClient(options.serviceUrl, new StorageSharedKeyCredential(options.account, options.accountKey));
  }

  async put(ref: BlobRef, body: Readable | Buffer | string, opts: PutOptions = {}): Promise<BlobInfo> {
    assertRef(ref);
    if (typeof body === 'string' || Buffer.isBuffer(body)) return this.#putBuffer(ref, typeof body === 'string' ? Buffer.from(body) : body, opts);
    const metered = meterBody(body, opts.maxBytes, opts.signal);
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    try {
      await this.#ensureContainer(ref.container);
      const response = await this.#blob(ref).uploadStream(metered.stream, BLOCK_SIZE, UPLOAD_BUFFERS, {
        blobHTTPHeaders: { blobContentType: contentType },
        abortSignal: opts.signal,
      });
      return { ...ref, size: metered.bytes(), lastModified: present(response.lastModified), etag: bareEtag(response.etag), contentType };
    } catch (error) {
      metered.stream.destroy();
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw metered.overLimit() ?? this.#putError(error, ref);
    }
  }

  /** An upload of the file's bytes (a move removes the file once they are committed). */
  async putFile(ref: BlobRef, path: string, opts: PutFileOptions = {}): Promise<BlobInfo> {
    assertRef(ref);
    // Opened first: a missing or unreadable file fails here rather than as an upload whose body never starts.
    const body = (await open(path, 'r')).createReadStream();
    let info: BlobInfo;
    try {
      info = await this.put(ref, body, { contentType: opts.contentType, signal: opts.signal });
    } finally {
      // Closes the file whatever happened (a put refused before reading would otherwise leave it open).
      body.destroy();
    }
    if (opts.move === true) await rm(path, { force: true });
    return info;
  }

  /** Bodies already in memory go up in one request instead of a staged block and a commit. */
  async #putBuffer(ref: BlobRef, data: Buffer, opts: PutOptions): Promise<BlobInfo> {
    checkSize(data.length, opts.maxBytes);
    opts.signal?.throwIfAborted();
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    try {
      await this.#ensureContainer(ref.container);
      const response = await this.#blob(ref).uploadData(data, { blobHTTPHeaders: { blobContentType: contentType }, abortSignal: opts.signal });
      return { ...ref, size: data.length, lastModified: present(response.lastModified), etag: bareEtag(response.etag), contentType };
    } catch (error) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw this.#putError(error, ref);
    }
  }

  #putError(error: unknown, ref: BlobRef): unknown {
    if (statusOf(error) !== 404) return fromAzureError(error);
    // The container was deleted behind our back; forget it so the next put creates it again.
    this.#containers.delete(ref.container);
    return new MeridianError('STORAGE_UNAVAILABLE', `Container "${ref.container}" disappeared during the upload; retry.`, {}, { cause: error });
  }

  async get(ref: BlobRef, range?: RangeRequest): Promise<BlobDownload> {
    assertRef(ref);
    if (range !== undefined) assertRangeRequest(range);
    const start = range?.start ?? 0;
    const count = range?.end === undefined ? undefined : range.end - start + 1;
    const response = await this.#blob(ref)
      .download(start, count)
      .catch((error: unknown) => this.#readError(error, ref, start));
    const body = present(response.readableStreamBody) as Readable;
    const size = totalSize(response.contentRange, present(response.contentLength));
    const info: BlobInfo = {
      ...ref,
      size,
      lastModified: present(response.lastModified),
      etag: bareEtag(response.etag),
      contentType: response.contentType ?? DEFAULT_CONTENT_TYPE,
    };
    if (range === undefined) return { info, body };
    if (start >= size) {
      body.destroy();
      throw unsatisfiable(start, size);
    }
    return { info, body, range: { start, end: start + present(response.contentLength) - 1 } };
  }

  async readRange(ref: BlobRef, start: number, length: number): Promise<Buffer> {
    assertRef(ref);
    assertRangeRequest(readRangeRequest(start, length));
    const response = await this.#blob(ref)
      .download(start, length)
      .catch((error: unknown) => this.#readError(error, ref, start));
    const body = present(response.readableStreamBody) as Readable;
    const size = totalSize(response.contentRange, present(response.contentLength));
    if (start >= size) {
      body.destroy();
      throw unsatisfiable(start, size);
    }
    return buffer(body);
  }

  /**
   * Always throws: the catalog error for a failed download. Azure answers 416 for most unsatisfiable
   * ranges, but the SDK sends no Range header for "from byte 0" (so an empty blob answers 200) and
   * Azurite answers a range starting exactly at the end with an empty 206; get and readRange therefore
   * also compare the start with the size themselves.
   */
  async #readError(error: unknown, ref: BlobRef, start: number): Promise<never> {
    const status = statusOf(error);
    if (status === 404) throw blobNotFound(ref);
    if (status !== 416) throw fromAzureError(error);
    // Azure's 416 does not say how big the blob is; the HTTP layer needs the size for Content-Range.
    const info = await this.head(ref);
    if (info === null) throw blobNotFound(ref);
    throw unsatisfiable(start, info.size);
  }

  async head(ref: BlobRef): Promise<BlobInfo | null> {
    assertRef(ref);
    try {
      const properties = await this.#blob(ref).getProperties();
      return {
        ...ref,
        size: present(properties.contentLength),
        lastModified: present(properties.lastModified),
        etag: bareEtag(properties.etag),
        contentType: properties.contentType ?? DEFAULT_CONTENT_TYPE,
      };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw fromAzureError(error);
    }
  }

  async version(ref: BlobRef): Promise<BlobVersion | null> {
    const info = await this.head(ref);
    return info === null ? null : { size: info.size, etag: info.etag };
  }

  async list(container: string, opts: ListOptions = {}): Promise<ListPage> {
    const { prefix, delimited, limit, token } = checkListOptions(container, opts);
    const client = this.#container(container);
    const settings = { maxPageSize: limit, ...(token === undefined ? {} : { continuationToken: token }) };
    const options = prefix === '' ? {} : { prefix };
    try {
      if (delimited) {
        const result = await client.listBlobsByHierarchy('/', options).byPage(settings).next();
        if (result.done === true) return emptyPage();
        const page = result.value;
        return {
          items: page.segment.blobItems.map((item) => infoOfItem(container, item)),
          prefixes: (page.segment.blobPrefixes ?? []).map((prefixItem) => prefixItem.name),
          nextToken: page.continuationToken || null,
        };
      }
      const result = await client.listBlobsFlat(options).byPage(settings).next();
      if (result.done === true) return emptyPage();
      const page = result.value;
      return {
        items: page.segment.blobItems.map((item) => infoOfItem(container, item)),
        prefixes: [],
        nextToken: page.continuationToken || null,
      };
    } catch (error) {
      const status = statusOf(error);
      // A container that was never written to has nothing in it, as on file storage.
      if (status === 404) return emptyPage();
      if (status === 400 && token !== undefined) throw invalidToken();
      throw fromAzureError(error);
    }
  }

  async listContainers(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const container of this.#service.listContainers()) {
        // The account may hold containers of other tools ($logs, ...); the API cannot address those.
        if (isValidContainer(container.name)) names.push(container.name);
      }
    } catch (error) {
      throw fromAzureError(error);
    }
    return names.sort(compareKeys);
  }

  async delete(ref: BlobRef): Promise<boolean> {
    assertRef(ref);
    try {
      const response = await this.#blob(ref).deleteIfExists({ deleteSnapshots: 'include' });
      return response.succeeded;
    } catch (error) {
      // deleteIfExists absorbs a missing blob but not a missing container.
      if (statusOf(error) === 404) return false;
      throw fromAzureError(error);
    }
  }

  async deletePrefix(container: string, prefix: string): Promise<number> {
    assertContainer(container);
    assertPrefix(prefix);
    const client = this.#container(container);
    let count = 0;
    try {
      // Continuation markers name the next blob, so deleting the blobs of earlier pages does not disturb paging.
      for await (const page of client.listBlobsFlat(prefix === '' ? {} : { prefix }).byPage({ maxPageSize: 1000 })) {
        const results = await mapConcurrent(page.segment.blobItems, DELETE_CONCURRENCY, (item) =>
          client.getBlobClient(item.name).deleteIfExists({ deleteSnapshots: 'include' }),
        );
        count += results.filter((result) => result.succeeded).length;
      }
    } catch (error) {
      if (statusOf(error) === 404) return count;
      throw fromAzureError(error);
    }
    return count;
  }

  async copy(from: BlobRef, to: BlobRef): Promise<BlobInfo> {
    assertRef(from);
    assertRef(to);
    if (from.container === to.container && from.key === to.key) {
      const info = await this.head(from);
      if (info === null) throw blobNotFound(from);
      return info;
    }
    try {
      await this.#ensureContainer(to.container);
      // Within one account the shared key authorises reading the source; the service copies server-side.
      const poller = await this.#blob(to).beginCopyFromURL(this.#blob(from).url);
      const result = await poller.pollUntilDone();
      if (result.copyStatus !== 'success') {
        throw new MeridianError('STORAGE_UNAVAILABLE', `Copying "${from.key}" ended with status ${result.copyStatus ?? 'unknown'}.`);
      }
    } catch (error) {
      if (statusOf(error) === 404) throw blobNotFound(from);
      throw fromAzureError(error);
    }
    const info = await this.head(to);
    if (info === null) throw blobNotFound(to);
    return info;
  }

  async signedUrl(ref: BlobRef, opts: SignedUrlOptions): Promise<string | null> {
    assertRef(ref);
    checkSignedUrlOptions(opts);
    // A client uploading through the URL cannot create the container itself.
    if (opts.permission === 'w') {
      try {
        await this.#ensureContainer(ref.container);
      } catch (error) {
        throw fromAzureError(error);
      }
    }
    const now = Date.now();
    return this.#blob(ref).generateSasUrl({
      permissions: BlobSASPermissions.parse(opts.permission),
      startsOn: new Date(now - SAS_CLOCK_SKEW_MS),
      expiresOn: new Date(now + opts.expiresInSeconds * 1000),
    });
  }

  async check(): Promise<void> {
    try {
      // Needs the account key, so it proves reachability and credentials in one small request.
      await this.#service.getProperties({ abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    } catch (error) {
      throw new MeridianError('STORAGE_UNAVAILABLE', `Azure Blob storage at ${this.#service.url} cannot be reached: ${String(error)}`, {}, { cause: error });
    }
  }

  #container(name: string): ContainerClient {
    return this.#service.getContainerClient(name);
  }

  #blob(ref: BlobRef): BlockBlobClient {
    return this.#container(ref.container).getBlockBlobClient(ref.key);
  }

  async #ensureContainer(name: string): Promise<void> {
    if (this.#containers.has(name)) return;
    await this.#container(name).createIfNotExists();
    this.#containers.add(name);
  }
}

function infoOfItem(container: string, item: BlobItem): BlobInfo {
  return {
    container,
    key: item.name,
    size: present(item.properties.contentLength),
    lastModified: item.properties.lastModified,
    etag: bareEtag(item.properties.etag),
    contentType: item.properties.contentType ?? DEFAULT_CONTENT_TYPE,
  };
}

function emptyPage(): ListPage {
  return { items: [], prefixes: [], nextToken: null };
}

/** Responses quote the ETag but listings do not; BlobInfo carries it bare, like the file adapter's. */
function bareEtag(etag: string | undefined): string {
  return present(etag).replace(/^"(.*)"$/, '$1');
}

/** A ranged response says the full size after the slash of Content-Range ("bytes 0-9/1234"). */
function totalSize(contentRange: string | undefined, contentLength: number): number {
  if (contentRange === undefined) return contentLength;
  const total = Number(contentRange.slice(contentRange.lastIndexOf('/') + 1));
  return Number.isSafeInteger(total) ? total : contentLength;
}

/** The SDK types every response header as optional; these ones Azure always sends. */
function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('Azure Blob storage sent a response without a header it always sends.');
  return value;
}
