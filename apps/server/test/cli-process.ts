import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MERIDIAN_BIN = fileURLToPath(new URL('../bin/meridian.js', import.meta.url));

/** The environment of a child `meridian` process: this one's, without any MERIDIAN_* settings of its own. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => !k.startsWith('MERIDIAN_') && v !== undefined)) as Record<string, string>;
  return { ...base, MERIDIAN_LOG_LEVEL: 'warn', ...env };
}

/** `nodeFlags` go to node itself (e.g. the --single-threaded-gc that scripts/start.sh runs the server with). */
export function runMeridian(args: string[], env: Record<string, string>, nodeFlags: string[] = []): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...nodeFlags, MERIDIAN_BIN, ...args], { env: childEnv(env), stdio: 'pipe' });
}

/** Runs a command to its end; resolves with its exit code and output. */
export function runToEnd(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = runMeridian(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`meridian ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits for the "ready at URL/" line a serving process prints and returns the URL. */
export function readyUrl(child: ChildProcessWithoutNullStreams, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no ready line in ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /ready at (\S+?)\/ /.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready\n${stderr}`));
    });
  });
}

export function exitCode(child: ChildProcessWithoutNullStreams, timeoutMs = 30_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error('process did not exit')), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
