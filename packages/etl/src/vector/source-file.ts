/**
 * The input file as GDAL opens it. File storage: the blob's own path (a shapefile's .shx/.dbf/.prj are
 * sibling blobs, so they sit next to it). Other stores (Azure): the blob and its siblings are streamed
 * into a temporary folder under MERIDIAN_HOME, never held in memory, and removed when the task is done.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MeridianError } from '@meridian/core';
import { assertRef, type BlobInfo, type BlobRef, type BlobStore } from '@meridian/storage';
import type { VectorFormat } from './formats.ts';
import { shapefileInZip } from './zip-members.ts';

/** The parts of a shapefile besides the .shp: .shx and .dbf are required, .prj and .cpg optional. */
const REQUIRED_PARTS = ['shx', 'dbf'] as const;
const OPTIONAL_PARTS = ['prj', 'cpg'] as const;

export interface LocalSource {
  /** What GDAL opens: a path, or /vsizip/…/member.shp for a zipped shapefile. */
  gdalPath: string;
  /** The zip member opened, when the input is an archive. */
  member: string | null;
  release(): Promise<void>;
}

/** Exists, not empty, within the size limit: checked before anything is read. */
export async function checkSourceBlob(store: BlobStore, ref: BlobRef, maxBytes: number): Promise<BlobInfo> {
  assertRef(ref);
  const info = await store.head(ref);
  if (!info) throw new MeridianError('FILE_NOT_FOUND', `there is no blob "${ref.key}" in container "${ref.container}"`, { container: ref.container, blob_name: ref.key });
  if (info.size === 0) throw new MeridianError('CORRUPTED_FILE', `"${ref.key}" is empty (0 bytes)`, { blob_name: ref.key });
  if (info.size > maxBytes) {
    throw new MeridianError('FILE_TOO_LARGE', `"${ref.key}" is ${info.size} bytes; the limit is ${maxBytes}`, { blob_name: ref.key, size: info.size, limit: maxBytes });
  }
  return info;
}

/** The blob of a shapefile part, trying the lower- and upper-case extension. */
async function findPart(store: BlobStore, ref: BlobRef, ext: string): Promise<BlobRef | null> {
  const stem = ref.key.replace(/\.[^./]*$/, '');
  for (const candidate of [ext, ext.toUpperCase()]) {
    const part = { container: ref.container, key: `${stem}.${candidate}` };
    if (await store.head(part)) return part;
  }
  return null;
}

async function shapefileParts(store: BlobStore, ref: BlobRef): Promise<BlobRef[]> {
  const parts: BlobRef[] = [];
  const missing: string[] = [];
  for (const ext of REQUIRED_PARTS) {
    const part = await findPart(store, ref, ext);
    if (part) parts.push(part);
    else missing.push(`.${ext}`);
  }
  if (missing.length) {
    throw new MeridianError('SHAPEFILE_INCOMPLETE', `the shapefile "${ref.key}" has no ${missing.join(' and no ')} beside it in container "${ref.container}"`, { blob_name: ref.key, missing });
  }
  for (const ext of OPTIONAL_PARTS) {
    const part = await findPart(store, ref, ext);
    if (part) parts.push(part);
  }
  return parts;
}

async function download(store: BlobStore, ref: BlobRef, path: string, signal: AbortSignal): Promise<void> {
  const { body } = await store.get(ref);
  await pipeline(body, createWriteStream(path), { signal });
}

/** Makes the input readable by GDAL; `release()` removes whatever was downloaded. */
export async function openLocalSource(
  store: BlobStore,
  ref: BlobRef,
  format: VectorFormat,
  options: { home: string; layerName: string | undefined; signal: AbortSignal },
): Promise<LocalSource> {
  const parts = format === 'shapefile' ? await shapefileParts(store, ref) : [];
  let path: string;
  let release = async () => {};
  if (store.localPath) {
    path = store.localPath(ref);
  } else {
    const root = join(options.home, 'work', 'vector');
    await mkdir(root, { recursive: true });
    const dir = await mkdtemp(join(root, 'source-'));
    release = () => rm(dir, { recursive: true, force: true });
    try {
      const file = ref.key.split('/').pop()!;
      const stem = file.replace(/\.[^.]*$/, '');
      path = join(dir, file);
      await download(store, ref, path, options.signal);
      for (const part of parts) await download(store, part, join(dir, `${stem}.${part.key.split('.').pop()!.toLowerCase()}`), options.signal);
    } catch (error) {
      await release();
      throw error;
    }
  }
  if (format !== 'zip') return { gdalPath: path, member: null, release };
  try {
    const member = await shapefileInZip(path, options.layerName, ref.key);
    return { gdalPath: `/vsizip/${path}/${member}`, member, release };
  } catch (error) {
    await release();
    throw error;
  }
}
