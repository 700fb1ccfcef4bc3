/**
 * Publishing a task's COGs: the files go to the silver zone first (each put atomic; on file storage a
 * COG is moved in by hard link, not copied), then the metadata rows and STAC items are written in one
 * transaction. Blob keys carry a tag of the run, so an overwrite never touches the files the live item
 * points at: the transaction switches the item to the new files, and only then are the previous ones
 * deleted. When anything fails before the commit, the blobs this run created are deleted again —
 * nothing is left behind.
 */
import { link, rm } from 'node:fs/promises';
import { MeridianError } from '@meridian/core';
import type { Db, Queryable } from '@meridian/db';
import type { BlobRef, BlobStore } from '@meridian/storage';
import { createCollection, getCollection, getItem, upsertItems, type Classification, type StacItem } from '@meridian/stac';
import { getRasterMetadata, upsertRasterMetadata } from './metadata-repository.ts';
import type { RasterMetadata } from './raster-metadata.ts';
import { rasterCollection } from './stac-item.ts';
import { keysUnder } from './blob-keys.ts';

export interface PublishedFile {
  ref: BlobRef;
  /** In the work directory; given up to the store unless `keep`. */
  path: string;
  contentType: string;
  /** The file stays at `path` (read while it uploads, and reused by a retry). */
  keep?: boolean;
}

export interface OutputToPublish {
  metadata: RasterMetadata;
  /** What GDAL's COG validator warned about (it passed). */
  validatorWarnings: string[];
  item: StacItem;
  cog: PublishedFile;
  thumbnail: PublishedFile;
}

/** Where a COG and its thumbnail go: one folder per item, files named by the run's tag. */
export function outputKeys(collectionId: string, itemId: string, tag: string): { cog: string; thumbnail: string } {
  const cog = `${collectionId}/${itemId}/${tag}.tif`;
  return { cog, thumbnail: thumbnailKeyOf(cog) };
}

/** The thumbnail published beside a COG. */
export function thumbnailKeyOf(cogKey: string): string {
  return cogKey.replace(/\.tif$/, '.thumbnail.png');
}

export function itemFolder(collectionId: string, itemId: string): string {
  return `${collectionId}/${itemId}/`;
}

/** `collection_must_exist`: adding rasters to a collection that is not there is refused. */
export async function assertCollectionExists(db: Queryable, collectionId: string): Promise<void> {
  if (!(await getCollection(db, collectionId, 'reviewer'))) {
    throw new MeridianError('STAC_COLLECTION_NOT_FOUND', `collection "${collectionId}" does not exist (collection_must_exist is set)`, { collection: collectionId });
  }
}

/**
 * Checked before any work: the collection exists when it must, and the items are free unless
 * `overwrite` — an item written by this same job (a retry after a crash) counts as free.
 */
export async function assertCanPublish(db: Db, collectionId: string, itemIds: readonly string[], options: { overwrite: boolean; collectionMustExist: boolean; jobId: string }): Promise<void> {
  if (options.collectionMustExist) await assertCollectionExists(db, collectionId);
  if (options.overwrite) return;
  for (const itemId of itemIds) {
    const existing = await getRasterMetadata(db, collectionId, itemId);
    const taken = existing ? existing.jobId !== options.jobId : (await getItem(db, collectionId, itemId, 'reviewer')) !== undefined;
    if (taken) {
      throw new MeridianError('RASTER_ITEM_EXISTS', `collection "${collectionId}" has an item "${itemId}" already; submit with overwrite true to replace it`, { collection: collectionId, item: itemId });
    }
  }
}

/** Creates the collection around its first item unless it exists; a concurrent creator winning is fine. */
async function ensureCollection(tx: Queryable, collectionId: string, first: RasterMetadata, classification: Classification): Promise<void> {
  if (await getCollection(tx, collectionId, 'reviewer')) return;
  try {
    await createCollection(tx, rasterCollection(collectionId, first), classification);
  } catch (error) {
    if (!(error instanceof MeridianError && error.code === 'STAC_COLLECTION_EXISTS')) throw error;
  }
}

/**
 * What the store takes: the file itself, or, when it must stay, a second name for it (a hard link in the
 * same directory), so a file store moves it into place without copying a byte while the first name stays
 * readable. A filesystem without hard links gets the file copied instead.
 */
async function handOver(file: PublishedFile): Promise<{ path: string; move: boolean }> {
  if (!file.keep) return { path: file.path, move: true };
  const second = `${file.path}.publishing`;
  await rm(second, { force: true });
  try {
    await link(file.path, second);
    return { path: second, move: true };
  } catch {
    return { path: file.path, move: false };
  }
}

/** The blobs one publication created (not those it replaced), so a failure can take them back. */
class Uploads {
  private readonly created: BlobRef[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly store: BlobStore, private readonly signal: AbortSignal) {}

  put(file: PublishedFile): Promise<void> {
    const upload = (async () => {
      const existed = (await this.store.head(file.ref)) !== null;
      const given = await handOver(file);
      await this.store.putFile(file.ref, given.path, { contentType: file.contentType, move: given.move, signal: this.signal });
      if (!existed) this.created.push(file.ref);
    })();
    this.pending.add(upload);
    return upload;
  }

  /** Waits for uploads still running, then deletes every blob they created. */
  async undo(): Promise<void> {
    await Promise.allSettled(this.pending);
    await Promise.all(this.created.map((ref) => this.store.delete(ref)));
  }
}

/**
 * Uploads the COGs while `describe` reads them (metadata, footprint, thumbnail: the two overlap, as the
 * upload is mostly I/O), then the thumbnails, then commits metadata rows and STAC items in one
 * transaction. Any failure deletes the blobs this publication created.
 */
export async function publishOutputs(
  db: Db,
  store: BlobStore,
  cogs: readonly PublishedFile[],
  describe: () => Promise<OutputToPublish[]>,
  classification: Classification,
  signal: AbortSignal,
): Promise<OutputToPublish[]> {
  const uploads = new Uploads(store, signal);
  try {
    const [, outputs] = await Promise.all([Promise.all(cogs.map((cog) => uploads.put(cog))), describe()]);
    await Promise.all(outputs.map((output) => uploads.put(output.thumbnail)));
    await db.transaction(async (tx) => {
      const first = outputs[0]!.metadata;
      await ensureCollection(tx, first.collectionId, first, classification);
      for (const output of outputs) await upsertRasterMetadata(tx, output.metadata);
      await upsertItems(tx, first.collectionId, outputs.map((o) => o.item), classification);
    });
    return outputs;
  } catch (error) {
    await uploads.undo();
    throw error;
  }
}

/** After the switch: deletes the files of earlier versions of the items (anything in their folders not kept). */
export async function removeStaleBlobs(store: BlobStore, container: string, folders: readonly string[], keep: ReadonlySet<string>): Promise<void> {
  for (const prefix of folders) {
    for (const key of await keysUnder(store, container, prefix)) {
      if (!keep.has(key)) await store.delete({ container, key });
    }
  }
}
