/**
 * Each raster task works on disk in its own directory under MERIDIAN_HOME (never whole rasters in
 * memory). The directory is named after the task, so a retry or a resumed run on the same machine finds
 * the files an earlier run left and its checkpoints point at.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface WorkDir {
  path: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export function workDirRoot(home: string): string {
  return join(home, 'work', 'raster');
}

export async function openWorkDir(home: string, taskId: number): Promise<WorkDir> {
  const path = join(workDirRoot(home), `task-${taskId}`);
  await mkdir(path, { recursive: true });
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** The size of a file an earlier run wrote, or null when it is not there (another machine, or cleaned up). */
export async function existingSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
