/**
 * Identifiers of a task's outputs. The first tier keeps the item id the platform contract derives (the
 * one its status reports); further tiers get the tier as a suffix. A run tag names the blobs of one
 * run, so a new version never overwrites the files a live item points at.
 */
import { MeridianError, kebabSlug, sha256Hex } from '@meridian/core';
import type { Tier } from './parameters.ts';

const MAX_ITEM_ID = 128;

/**
 * The item id a file gets when none is given: the slug of its name without folders or extension, after
 * `prefix` when one is given (a platform release's own items).
 */
export function itemIdFromBlob(blobName: string, prefix?: string): string {
  const base = blobName.slice(blobName.lastIndexOf('/') + 1).replace(/\.tiff?$/i, '');
  const slug = kebabSlug(base);
  const id = (slug && prefix ? `${prefix}-${slug}` : slug).slice(0, MAX_ITEM_ID).replace(/-+$/, '');
  if (!id) throw new MeridianError('INVALID_IDENTIFIER', `no item id can be made from the file name "${blobName}"; give item_id`, { blob_name: blobName });
  return id;
}

export function tierItemId(baseItemId: string, tier: Tier, first: boolean): string {
  return first ? baseItemId : `${baseItemId}-${tier}`;
}

/** Same job, same source file: same tag (a retry rewrites its own files, nothing else). */
export function runTag(jobId: string, taskIndex: number, sourceEtag: string): string {
  return sha256Hex(`${jobId}|${taskIndex}|${sourceEtag}`).slice(0, 16);
}
