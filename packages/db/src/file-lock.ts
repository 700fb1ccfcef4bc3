import { open, readFile, rm } from 'node:fs/promises';
import { MeridianError } from '@meridian/core';

export interface FileLock {
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock file holding the owner's pid. PGlite does not lock its data directory and two
 * processes on one directory silently lose writes, so Meridian refuses to open a directory another live
 * process holds. A lock left by a dead process is taken over.
 */
export async function acquireLock(path: string): Promise<FileLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new MeridianError('DATABASE_LOCKED', `the embedded database is in use by process ${owner} (lock file ${path})`);
      }
      await rm(path, { force: true });
    }
  }
  throw new MeridianError('DATABASE_LOCKED', `could not take the lock file ${path}`);
}
