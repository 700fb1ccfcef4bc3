import { constants, type BigIntStats } from 'node:fs';
import { copyFile, link, lstat, open, rm } from 'node:fs/promises';
import { MeridianError } from '@meridian/core';
import { errnoOf } from './fs-errors.ts';

/**
 * Getting a local file's bytes into the file store's temp area, durably, before the rename that
 * publishes them: by hard link when the caller gives the file up, else by copy.
 */

/** A hard link refused: two filesystems (or mounts), or a filesystem or policy that forbids the link. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * The bytes of `source` under `temp`, flushed to disk. Moving within one filesystem links the file
 * itself (no byte copied) and sets its modification time to now, as a new blob's is; anything else is
 * copied. Only a regular file is taken: linking a symbolic link would publish the link, not the bytes.
 */
export async function placeFile(source: string, temp: string, move: boolean): Promise<BigIntStats> {
  if (!(await lstat(source)).isFile()) throw new MeridianError('INTERNAL_ERROR', `${source} is not a regular file; only files can be put.`);
  if (move) {
    try {
      await link(source, temp);
      return await touchAndSync(temp);
    } catch (error) {
      if (!LINK_REFUSED.has(errnoOf(error) ?? '')) throw error;
      await rm(temp, { force: true });
    }
  }
  await copyFile(source, temp, constants.COPYFILE_FICLONE);
  return syncFile(temp);
}

async function touchAndSync(path: string): Promise<BigIntStats> {
  const now = new Date();
  const handle = await open(path, 'r');
  try {
    await handle.utimes(now, now);
    await handle.sync();
    return await handle.stat({ bigint: true });
  } finally {
    await handle.close();
  }
}

export async function syncFile(path: string): Promise<BigIntStats> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
    return await handle.stat({ bigint: true });
  } finally {
    await handle.close();
  }
}

/** Makes renames into `folder` durable, before anything that relies on them (a moved file's source removal). */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
