/**
 * The input GeoTIFF: checked in the blob store (exists, a GeoTIFF name, not empty, within the size limit)
 * and made readable by GDAL as a local file — in place on file storage, downloaded into the task's work
 * directory otherwise (streamed, never held in memory).
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { MeridianError } from '@meridian/core';
import type { BlobRef, BlobStore } from '@meridian/storage';
import { assertRef } from '@meridian/storage';
import { existingSize, type WorkDir } from './work-dir.ts';

export interface SourceFile {
  ref: BlobRef;
  /** What GDAL opens. */
  path: string;
  size: number;
  etag: string;
}

const GEOTIFF_NAME = /\.tiff?$/i;

export function isGeoTiffName(key: string): boolean {
  return GEOTIFF_NAME.test(key);
}

/** The checks that need no pixels: run first, so a missing or oversized file fails in milliseconds. */
export async function checkSourceBlob(store: BlobStore, ref: BlobRef, maxBytes: number) {
  assertRef(ref);
  if (!isGeoTiffName(ref.key)) {
    throw new MeridianError('UNSUPPORTED_FILE_FORMAT', `"${ref.key}" is not a GeoTIFF name: the raster ETL takes .tif or .tiff files`, { blob_name: ref.key });
  }
  const info = await store.head(ref);
  if (!info) throw new MeridianError('FILE_NOT_FOUND', `there is no blob "${ref.key}" in container "${ref.container}"`, { container: ref.container, blob_name: ref.key });
  if (info.size === 0) throw new MeridianError('CORRUPTED_FILE', `"${ref.key}" is empty (0 bytes)`, { blob_name: ref.key });
  if (info.size > maxBytes) {
    throw new MeridianError('INPUT_TOO_LARGE', `"${ref.key}" is ${info.size} bytes; the limit is ${maxBytes}`, { blob_name: ref.key, size: info.size, limit: maxBytes });
  }
  return info;
}

export async function openSource(store: BlobStore, ref: BlobRef, maxBytes: number, work: WorkDir, signal: AbortSignal): Promise<SourceFile> {
  const info = await checkSourceBlob(store, ref, maxBytes);
  if (store.localPath) return { ref, path: store.localPath(ref), size: info.size, etag: info.etag };
  const path = work.file(`source-${info.etag.replace(/[^A-Za-z0-9]/g, '')}.tif`);
  if ((await existingSize(path)) !== info.size) {
    const download = await store.get(ref);
    await pipeline(download.body, createWriteStream(path), { signal });
  }
  return { ref, path, size: info.size, etag: info.etag };
}
