/**
 * Publishing a task's COGs: the files go to the silver zone first (each put atomic), then the metadata
 * rows and STAC items are written in one transaction. Blob keys carry a tag of the run, so an overwrite
 * never touches the files the live item points at: the transaction switches the item to the new files,
 * and only then are the previous ones deleted. When anything fails before the commit, the blobs this
 * run created are deleted again — nothing is left behind.
 */
import { createReadStream } from 'node:fs';
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
  path: string;
  contentType: string;
}

export interface OutputToPublish {
  metadata: RasterMetadata;
  item: StacItem;
  cog: PublishedFile;
  thumbnail: PublishedFile;
}

/** Where a COG and its thumbnail go: one folder per item, files named by the run's tag. */
export function outputKeys(collectionId: string, itemId: string, tag: string): { cog: string; thumbnail: string } {
  return { cog: `${collectionId}/${itemId}/${tag}.tif`, thumbnail: `${collectionId}/${itemId}/${tag}.thumbnail.png` };
}

export function itemFolder(collectionId: string, itemId: string): string {
  return `${collectionId}/${itemId}/`;
}

/**
 * Checked before any work: the collection exists when it must, and the items are free unless
 * `overwrite` — an item written by this same job (a retry after a crash) counts as free.
 */
export async function assertCanPublish(db: Db, collectionId: string, itemIds: readonly string[], options: { overwrite: boolean; collectionMustExist: boolean; jobId: string }): Promise<void> {
  if (options.collectionMustExist && !(await getCollection(db, collectionId, 'reviewer'))) {
    throw new MeridianError('STAC_COLLECTION_NOT_FOUND', `collection "${collectionId}" does not exist (collection_must_exist is set)`, { collection: collectionId });
  }
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

async function upload(store: BlobStore, file: PublishedFile, signal: AbortSignal): Promise<boolean> {
  const existed = (await store.head(file.ref)) !== null;
  await store.put(file.ref, createReadStream(file.path), { contentType: file.contentType, signal });
  return !existed;
}

export async function publishOutputs(db: Db, store: BlobStore, outputs: readonly OutputToPublish[], classification: Classification, signal: AbortSignal): Promise<void> {
  const created: BlobRef[] = [];
  try {
    for (const output of outputs) {
      for (const file of [output.cog, output.thumbnail]) {
        if (await upload(store, file, signal)) created.push(file.ref);
      }
    }
    await db.transaction(async (tx) => {
      const collectionId = outputs[0]!.metadata.collectionId;
      await ensureCollection(tx, collectionId, outputs[0]!.metadata, classification);
      for (const output of outputs) await upsertRasterMetadata(tx, output.metadata);
      await upsertItems(tx, collectionId, outputs.map((o) => o.item), classification);
    });
  } catch (error) {
    await Promise.all(created.map((ref) => store.delete(ref)));
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
