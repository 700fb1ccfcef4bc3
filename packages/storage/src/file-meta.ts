import { createHash, randomUUID } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_CONTENT_TYPE, type BlobInfo, type BlobRef } from './blob-store.ts';
import { errnoOf } from './fs-errors.ts';

/**
 * What the file adapter keeps beside the bytes: the ETag, derived from the file itself, and the
 * content type, kept in a sidecar file.
 *
 * Sidecars live in a separate tree (`<root>/.meridian-meta/<container>/<hash of key>.json`) rather than
 * next to the blob because every name a directory can hold is also a valid key: a sidecar beside the
 * blob could collide with a real key and would have to be filtered out of every listing. A sidecar
 * records the ETag of the blob it describes, so a stale one (left by a crash or by two puts racing)
 * is ignored rather than believed.
 */
export const META_DIR = '.meridian-meta';

/**
 * Size and modification time, plus the inode: timestamps are only as fine as the kernel's clock tick,
 * so two same-sized puts in one tick would otherwise share an ETag. Rename keeps all three, so the
 * ETag a put returns is the one head() reports afterwards.
 */
export function etagOf(stats: BigIntStats): string {
  return `${stats.size.toString(36)}-${stats.mtimeNs.toString(36)}-${stats.ino.toString(36)}`;
}

export function infoOf(ref: BlobRef, stats: BigIntStats, contentType: string): BlobInfo {
  return {
    container: ref.container,
    key: ref.key,
    size: Number(stats.size),
    lastModified: stats.mtime,
    etag: etagOf(stats),
    contentType,
  };
}

function metaPath(root: string, ref: BlobRef): string {
  const hash = createHash('sha256').update(ref.key).digest('hex');
  // Two hex characters of fan-out keep any one directory to a few thousand entries per million blobs.
  return join(root, META_DIR, ref.container, hash.slice(0, 2), `${hash}.json`);
}

export async function readContentType(root: string, ref: BlobRef, etag: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(metaPath(root, ref), 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return DEFAULT_CONTENT_TYPE;
    throw error;
  }
  const meta = parseMeta(text);
  return meta !== null && meta.etag === etag ? meta.contentType : DEFAULT_CONTENT_TYPE;
}

function parseMeta(text: string): { etag: string; contentType: string } | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { etag, contentType } = value as Record<string, unknown>;
    return typeof etag === 'string' && typeof contentType === 'string' ? { etag, contentType } : null;
  } catch {
    // A torn sidecar (crash mid-write) only loses the content type, never the blob.
    return null;
  }
}

/** Records the content type of the blob with this ETag; the default type needs no sidecar. */
export async function writeContentType(root: string, tempDir: string, ref: BlobRef, etag: string, contentType: string): Promise<void> {
  if (contentType === DEFAULT_CONTENT_TYPE) {
    await removeContentType(root, ref);
    return;
  }
  const path = metaPath(root, ref);
  const temp = join(tempDir, `${randomUUID()}.meta`);
  await writeFile(temp, JSON.stringify({ etag, contentType }));
  try {
    await mkdir(dirname(path), { recursive: true });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function removeContentType(root: string, ref: BlobRef): Promise<void> {
  await rm(metaPath(root, ref), { force: true });
}
