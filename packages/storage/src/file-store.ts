import { randomUUID } from 'node:crypto';
import { constants, realpathSync, type BigIntStats } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, realpath, rename, rm, rmdir, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { MeridianError } from '@meridian/core';
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
import { meterBody } from './byte-limit.ts';
import { assertRangeRequest, readRangeRequest, resolveRange } from './byte-range.ts';
import { etagOf, infoOf, readContentType, removeContentType, writeContentType } from './file-meta.ts';
import { decodeCursor, encodeCursor, walkKeys, type WalkEntry } from './file-walk.ts';
import { placeFile, syncFile, syncFolder } from './file-placement.ts';
import { errnoOf, fromFsError, isMissing } from './fs-errors.ts';
import { compareKeys } from './key-order.ts';
import { assertContainer, assertPrefix, assertRef, isValidContainer } from './keys.ts';
import { mapConcurrent } from './map-concurrent.ts';
import { checkListOptions, checkSignedUrlOptions } from './options.ts';

// Temp files live outside every container (the name is not a valid container), so they never show in
// listings, and under the root, so the final rename stays on one filesystem and is atomic.
const TEMP_DIR = '.meridian-tmp';
// A delete prunes empty folders; a put racing it may find its folder gone between mkdir and rename.
const RENAME_ATTEMPTS = 3;
const STAT_CONCURRENCY = 32;

/**
 * Blobs as files under a root directory: `<root>/<container>/<key>`, with '/' in keys as folders, so
 * GDAL and people can read them in place. Puts write a temp file, fsync it and rename it into place.
 * Symbolic links are never followed: a path that passes through one is treated as absent, so nothing
 * a link points at, inside the root or outside it, can be read, listed, replaced or deleted.
 */
export class FileBlobStore implements BlobStore {
  readonly kind = 'file' as const;
  readonly #root: string;
  #realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async put(ref: BlobRef, body: Readable | Buffer | string, opts: PutOptions = {}): Promise<BlobInfo> {
    assertRef(ref);
    const metered = meterBody(body, opts.maxBytes, opts.signal);
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    let temp: string | undefined;
    try {
      const root = await this.#ready();
      temp = await this.#tempPath(root);
      const stats = await writeDurably(temp, metered.stream);
      await this.#commit(root, temp, ref, stats, contentType);
      return infoOf(ref, stats, contentType);
    } catch (error) {
      metered.stream.destroy();
      if (temp !== undefined) await rm(temp, { force: true });
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw metered.overLimit() ?? fromFsError(error, ref);
    }
  }

  /**
   * A hard link (moving, same filesystem) or a copy of the file, flushed to disk, is renamed into place;
   * a moved file's source is unlinked only after the rename and its folder are on disk, so a crash
   * leaves the bytes under the source path, the key, or both — never under neither.
   */
  async putFile(ref: BlobRef, path: string, opts: PutFileOptions = {}): Promise<BlobInfo> {
    assertRef(ref);
    opts.signal?.throwIfAborted();
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    let temp: string | undefined;
    try {
      const root = await this.#ready();
      temp = await this.#tempPath(root);
      const stats = await placeFile(path, temp, opts.move === true);
      opts.signal?.throwIfAborted();
      await this.#commit(root, temp, ref, stats, contentType);
      if (opts.move === true) {
        await syncFolder(dirname(this.#pathOf(root, ref)));
        await rm(path, { force: true });
      }
      return infoOf(ref, stats, contentType);
    } catch (error) {
      if (temp !== undefined) await rm(temp, { force: true });
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw fromFsError(error, ref);
    }
  }

  async get(ref: BlobRef, range?: RangeRequest): Promise<BlobDownload> {
    assertRef(ref);
    if (range !== undefined) assertRangeRequest(range);
    const { root, handle, stats } = await this.#openBlob(ref);
    try {
      const info = infoOf(ref, stats, await readContentType(root, ref, etagOf(stats)));
      if (range === undefined) return { info, body: handle.createReadStream() };
      const bytes = resolveRange(range, info.size);
      return { info, body: handle.createReadStream({ start: bytes.start, end: bytes.end }), range: bytes };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readRange(ref: BlobRef, start: number, length: number): Promise<Buffer> {
    assertRef(ref);
    const request = readRangeRequest(start, length);
    assertRangeRequest(request);
    const { handle, stats } = await this.#openBlob(ref);
    try {
      const bytes = resolveRange(request, Number(stats.size));
      const buffer = Buffer.allocUnsafe(bytes.end - bytes.start + 1);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, bytes.start + filled);
        // Puts replace files rather than rewrite them, so an open file only shrinks if edited outside Meridian.
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  async head(ref: BlobRef): Promise<BlobInfo | null> {
    assertRef(ref);
    const root = await this.#ready();
    const stats = await this.#fileStats(root, ref);
    return stats === null ? null : infoOf(ref, stats, await readContentType(root, ref, etagOf(stats)));
  }

  async version(ref: BlobRef): Promise<BlobVersion | null> {
    assertRef(ref);
    const stats = await this.#fileStats(await this.#ready(), ref);
    return stats === null ? null : { size: Number(stats.size), etag: etagOf(stats) };
  }

  async list(container: string, opts: ListOptions = {}): Promise<ListPage> {
    const { prefix, delimited, limit, token } = checkListOptions(container, opts);
    const after = token === undefined ? null : decodeCursor(token);
    const root = await this.#ready();
    const entries: WalkEntry[] = [];
    let more = false;
    for await (const entry of walkKeys(join(root, container), { prefix, delimited, after })) {
      // One entry past the limit tells whether another page exists, so the last page has no token.
      if (entries.length === limit) {
        more = true;
        break;
      }
      entries.push(entry);
    }
    const keys = entries.filter((entry) => entry.kind === 'blob').map((entry) => entry.name);
    const infos = await mapConcurrent(keys, STAT_CONCURRENCY, (key) => this.head({ container, key }));
    const last = entries.at(-1);
    return {
      // A blob deleted since the walk saw it is left out rather than reported with stale details.
      items: infos.filter((info): info is BlobInfo => info !== null),
      prefixes: entries.filter((entry) => entry.kind === 'prefix').map((entry) => entry.name),
      nextToken: more && last !== undefined ? encodeCursor(last.name) : null,
    };
  }

  async listContainers(): Promise<string[]> {
    const root = await this.#ready();
    const entries = await readdir(root, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && isValidContainer(entry.name))
      .map((entry) => entry.name)
      .sort(compareKeys);
  }

  async delete(ref: BlobRef): Promise<boolean> {
    assertRef(ref);
    const root = await this.#ready();
    if ((await this.#fileStats(root, ref)) === null) return false;
    const deleted = await this.#unlinkBlob(root, ref);
    if (deleted) await pruneEmptyFolders(join(root, ref.container), dirname(this.#pathOf(root, ref)));
    return deleted;
  }

  async deletePrefix(container: string, prefix: string): Promise<number> {
    assertContainer(container);
    assertPrefix(prefix);
    const root = await this.#ready();
    const containerDir = join(root, container);
    const folders = new Set<string>();
    let count = 0;
    // The walk reads each folder whole before yielding from it, so unlinking as we go is safe.
    for await (const entry of walkKeys(containerDir, { prefix, delimited: false, after: null })) {
      const ref = { container, key: entry.name };
      if (await this.#unlinkBlob(root, ref)) {
        count++;
        folders.add(dirname(this.#pathOf(root, ref)));
      }
    }
    // Deepest first, so a parent is tried only after its children had their chance to go.
    for (const folder of [...folders].sort((a, b) => b.length - a.length)) await pruneEmptyFolders(containerDir, folder);
    return count;
  }

  async copy(from: BlobRef, to: BlobRef): Promise<BlobInfo> {
    assertRef(from);
    assertRef(to);
    const root = await this.#ready();
    const sourceStats = await this.#fileStats(root, from);
    if (sourceStats === null) throw blobNotFound(from);
    const contentType = await readContentType(root, from, etagOf(sourceStats));
    if (from.container === to.container && from.key === to.key) return infoOf(from, sourceStats, contentType);
    const temp = await this.#tempPath(root);
    try {
      await copyFile(this.#pathOf(root, from), temp, constants.COPYFILE_FICLONE);
      const stats = await syncFile(temp);
      await this.#commit(root, temp, to, stats, contentType);
      return infoOf(to, stats, contentType);
    } catch (error) {
      await rm(temp, { force: true });
      if (errnoOf(error) === 'ENOENT' && (await this.#fileStats(root, from)) === null) throw blobNotFound(from);
      throw fromFsError(error, to);
    }
  }

  async signedUrl(ref: BlobRef, opts: SignedUrlOptions): Promise<string | null> {
    assertRef(ref);
    checkSignedUrlOptions(opts);
    return null;
  }

  async check(): Promise<void> {
    try {
      const root = await this.#ready();
      const probe = await this.#tempPath(root);
      await writeFile(probe, '');
      await rm(probe);
    } catch (error) {
      throw new MeridianError('STORAGE_UNAVAILABLE', `File storage at ${this.#root} cannot be written: ${String(error)}`, {}, { cause: error });
    }
  }

  localPath(ref: BlobRef): string {
    assertRef(ref);
    const path = this.#pathOf(realRootNow(this.#root), ref);
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      if (isMissing(error)) return path;
      throw fromFsError(error, ref);
    }
    if (real !== path) throw throughSymlink(ref);
    return path;
  }

  /** The root with symbolic links resolved, created on first use so a new deployment needs no setup. */
  async #ready(): Promise<string> {
    this.#realRoot ??= mkdir(this.#root, { recursive: true }).then(() => realpath(this.#root));
    try {
      return await this.#realRoot;
    } catch (error) {
      this.#realRoot = undefined;
      throw new MeridianError('STORAGE_UNAVAILABLE', `The storage root ${this.#root} cannot be created: ${String(error)}`, {}, { cause: error });
    }
  }

  async #tempPath(root: string): Promise<string> {
    const dir = join(root, TEMP_DIR);
    await mkdir(dir, { recursive: true });
    return join(dir, randomUUID());
  }

  #pathOf(root: string, ref: BlobRef): string {
    const containerDir = join(root, ref.container);
    const path = join(containerDir, ref.key);
    // Key validation already rules out "..", absolute keys and backslashes; this is the last line of defence.
    if (!path.startsWith(containerDir + sep)) {
      throw new MeridianError('INVALID_BLOB_KEY', `Blob key "${ref.key}" resolves outside its container.`, { key: ref.key });
    }
    return path;
  }

  /** The blob's file stats, or null when there is no regular file there or the path passes through a link. */
  async #fileStats(root: string, ref: BlobRef): Promise<BigIntStats | null> {
    const path = this.#pathOf(root, ref);
    try {
      // root is already real, so any difference means a link somewhere along the key's path.
      if ((await realpath(path)) !== path) return null;
      const stats = await lstat(path, { bigint: true });
      return stats.isFile() ? stats : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw fromFsError(error, ref);
    }
  }

  async #openBlob(ref: BlobRef): Promise<{ root: string; handle: FileHandle; stats: BigIntStats }> {
    const root = await this.#ready();
    if ((await this.#fileStats(root, ref)) === null) throw blobNotFound(ref);
    let handle: FileHandle;
    try {
      // O_NOFOLLOW: the link check above and this open are two steps; a link swapped in between is refused.
      handle = await open(this.#pathOf(root, ref), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (isMissing(error)) throw blobNotFound(ref);
      throw fromFsError(error, ref);
    }
    try {
      // Stats from the open handle describe exactly the bytes this read will return.
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw blobNotFound(ref);
      return { root, handle, stats };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async #commit(root: string, temp: string, ref: BlobRef, stats: BigIntStats, contentType: string): Promise<void> {
    await writeContentType(root, join(root, TEMP_DIR), ref, etagOf(stats), contentType);
    const target = this.#pathOf(root, ref);
    const folder = dirname(target);
    for (let attempt = 1; ; attempt++) {
      await mkdir(folder, { recursive: true });
      if ((await realpath(folder)) !== folder) throw throughSymlink(ref);
      try {
        await rename(temp, target);
        return;
      } catch (error) {
        if (errnoOf(error) !== 'ENOENT' || attempt === RENAME_ATTEMPTS) throw error;
      }
    }
  }

  async #unlinkBlob(root: string, ref: BlobRef): Promise<boolean> {
    try {
      await unlink(this.#pathOf(root, ref));
    } catch (error) {
      if (isMissing(error)) return false;
      throw fromFsError(error, ref);
    }
    await removeContentType(root, ref);
    return true;
  }
}

/** Writes a stream to a new file and flushes it to disk, so the rename never publishes bytes a crash could lose. */
async function writeDurably(path: string, source: Readable): Promise<BigIntStats> {
  const handle = await open(path, 'wx', 0o644);
  try {
    // writeFile consumes the stream chunk by chunk (not buffered whole) and, unlike a write stream on the
    // handle, leaves the handle free to fsync and close.
    await writeFile(handle, source);
    await handle.sync();
    return await handle.stat({ bigint: true });
  } finally {
    await handle.close();
  }
}

/** Azure has no empty folders; removing ours keeps listings and `deletePrefix` results the same. */
async function pruneEmptyFolders(containerDir: string, folder: string): Promise<void> {
  for (let dir = folder; dir.startsWith(containerDir + sep); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch (error) {
      const code = errnoOf(error);
      // Not empty (another blob lives here, or a put is arriving) or already gone: stop climbing.
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return;
      throw fromFsError(error);
    }
  }
}

function realRootNow(root: string): string {
  try {
    return realpathSync(root);
  } catch (error) {
    if (isMissing(error)) return root;
    throw fromFsError(error);
  }
}

function throughSymlink(ref: BlobRef): MeridianError {
  return new MeridianError(
    'INVALID_BLOB_KEY',
    `Blob key "${ref.key}" leads through a symbolic link in container "${ref.container}"; file storage does not follow links.`,
    { key: ref.key },
  );
}
