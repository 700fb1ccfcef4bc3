import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isMissing } from './fs-errors.ts';
import { compareKeys } from './key-order.ts';
import { MAX_KEY_LENGTH, isValidKeySegment } from './keys.ts';
import { invalidToken } from './options.ts';

export interface WalkEntry {
  /** The key, or with a delimiter the "folder" prefix ending in '/'. */
  name: string;
  kind: 'blob' | 'prefix';
}

export interface WalkOptions {
  prefix: string;
  /** Stop at the first '/' after the prefix and report folders as prefixes, as Azure does. */
  delimited: boolean;
  /** Only names after this one (the last name of the previous page). */
  after: string | null;
}

/**
 * Yields a container's blobs in key order, lazily, so a page costs the directories it touches rather
 * than the whole container. Siblings are sorted with '/' appended to folder names: every key under
 * folder "a" starts with "a/", so this puts the folder exactly where its keys belong among files like
 * "a-b" and "a0". Symbolic links and other special files are skipped: they are never blobs.
 */
export async function* walkKeys(containerDir: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const slash = options.prefix.lastIndexOf('/');
  const folder = options.prefix.slice(0, slash + 1);
  const namePrefix = options.prefix.slice(slash + 1);
  // Below the start the walk only enters real directories; the start itself (the container, or a folder
  // named in the prefix) is checked here, so a link named in a prefix cannot lead outside the root.
  if (!(await isRealPath(resolve(containerDir, folder)))) return;
  yield* walkFolder(containerDir, folder, namePrefix, options.delimited, options.after);
}

async function* walkFolder(
  containerDir: string,
  folder: string,
  namePrefix: string,
  delimited: boolean,
  after: string | null,
): AsyncGenerator<WalkEntry> {
  for (const entry of await sortedEntries(join(containerDir, folder), namePrefix)) {
    if (entry.isFile()) {
      const key = folder + entry.name;
      if (key.length <= MAX_KEY_LENGTH && (after === null || compareKeys(key, after) > 0)) yield { name: key, kind: 'blob' };
      continue;
    }
    const sub = `${folder}${entry.name}/`;
    if (delimited) {
      if ((after === null || compareKeys(sub, after) > 0) && (await holdsBlob(containerDir, sub))) yield { name: sub, kind: 'prefix' };
    } else if (after === null || compareKeys(sub, after) > 0 || after.startsWith(sub)) {
      // Every key below starts with `sub`: if `after` sorts beyond `sub` without extending it, all of them were on earlier pages.
      yield* walkFolder(containerDir, sub, '', false, after);
    }
  }
}

async function sortedEntries(dir: string, namePrefix: string): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const wanted = entries.filter(
    (entry) => (entry.isFile() || entry.isDirectory()) && entry.name.startsWith(namePrefix) && isValidKeySegment(entry.name),
  );
  const sortName = (entry: Dirent): string => (entry.isDirectory() ? `${entry.name}/` : entry.name);
  return wanted.sort((a, b) => compareKeys(sortName(a), sortName(b)));
}

/** True when `path` exists and no link lies along it (the container directory is under the real root). */
async function isRealPath(path: string): Promise<boolean> {
  try {
    return (await realpath(path)) === path;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/**
 * Azure has no empty folders, so neither do listings here: a folder left empty for a moment (a put
 * between mkdir and rename, or a delete before it prunes) is not reported.
 */
async function holdsBlob(containerDir: string, folder: string): Promise<boolean> {
  for await (const _entry of walkFolder(containerDir, folder, '', false, null)) return true;
  return false;
}

/** A page token is the last name of the previous page, so it stays valid while blobs come and go. */
export function encodeCursor(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

export function decodeCursor(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  // Re-encoding catches tokens that are not base64url or not UTF-8: both would decode lossily.
  if (name === '' || encodeCursor(name) !== token) throw invalidToken();
  return name;
}
