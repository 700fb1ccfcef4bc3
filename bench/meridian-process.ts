import type { ChildProcess } from 'node:child_process';
import { readyUrl, runMeridian } from '../apps/server/test/cli-process.ts';

/**
 * Starts a real `meridian api` process on a database for a benchmark, and waits until it serves; with the
 * node flags scripts/start.sh runs Meridian with.
 */
export async function startMeridianApi(
  databaseUrl: string,
  home: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = runMeridian(['api', ...(options.args ?? [])], {
    MERIDIAN_DATABASE_URL: databaseUrl,
    MERIDIAN_HOME: home,
    MERIDIAN_PORT: '0',
    ...options.env,
  }, ['--single-threaded-gc']);
  return { child, url: await readyUrl(child) };
}
