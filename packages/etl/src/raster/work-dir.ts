/**
 * Each raster task works on disk in its own directory under MERIDIAN_HOME (never whole rasters in
 * memory). The directory is named after the task, so a retry or a resumed run on the same machine finds
 * the files an earlier run left and its checkpoints point at.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface WorkDir {
  path: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export function workDirRoot(home: string): string {
  return join(home, 'work', 'raster');
}

const TASK_DIR = /^task-(\d+)$/;

function workDirPath(home: string, taskId: number): string {
  return join(workDirRoot(home), `task-${taskId}`);
}

export async function openWorkDir(home: string, taskId: number): Promise<WorkDir> {
  const path = workDirPath(home, taskId);
  await mkdir(path, { recursive: true });
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** The tasks that have a work directory on this machine (anything else under the root is not ours). */
export async function workDirTaskIds(home: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(workDirRoot(home));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.flatMap((name) => {
    const match = TASK_DIR.exec(name);
    return match ? [Number(match[1])] : [];
  });
}

export async function removeWorkDir(home: string, taskId: number): Promise<void> {
  await rm(workDirPath(home, taskId), { recursive: true, force: true });
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
