/**
 * Runs GDAL command-line tools as child processes: never in this process, so a crash or a huge raster
 * cannot take the worker down, and the event loop stays free. Progress is streamed from stdout, the
 * abort signal kills the tool, and stderr's error lines become the error message.
 */
import { spawn } from 'node:child_process';
import { MeridianError } from '@meridian/core';
import { GdalProgressParser } from './gdal-progress.ts';

export type GdalTool = 'gdalinfo' | 'gdal_translate' | 'gdalwarp' | 'gdalbuildvrt' | 'gdalsrsinfo' | 'gdaltransform';

export interface ProcessOptions {
  signal?: AbortSignal;
  /** Written to the process's stdin. */
  stdin?: string;
  /** Receives stdout as it arrives instead of collecting it. */
  onStdout?: (chunk: string) => void;
}

export interface ProcessResult {
  /** The exit status, or null when a signal ended the process. */
  code: number | null;
  stdout: string;
  /** The last 16 KiB: the end is where the cause is. */
  stderr: string;
}

const STDERR_LIMIT = 16_384;
/** How long a process gets to exit after SIGTERM before it is killed outright. */
const KILL_GRACE_MS = 2_000;

/**
 * Runs a command to its end. Rejects only when it cannot start (GDAL_TOOL_MISSING for a missing
 * binary) or when `signal` fires — then the process is terminated and the rejection is the signal's reason.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const settle = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.onStdout) options.onStdout(chunk.toString('latin1'));
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
    });
    // EPIPE when the process exits before reading its input; its exit status says what went wrong.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (error.code === 'ENOENT') reject(new MeridianError('GDAL_TOOL_MISSING', `${command} is not installed (or not on PATH)`, { tool: command }, { cause: error }));
      else reject(error);
    });
    child.on('close', (code) => {
      settle();
      if (signal?.aborted) reject(signal.reason);
      else resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
  });
}

export interface GdalRunOptions {
  signal?: AbortSignal;
  /** Called with 0…1 as the tool reports progress (tools that print `0...10...`). */
  onProgress?: (fraction: number) => void;
  stdin?: string;
  /** Runs the tool under `nice`: work beside the critical path yields the CPU to the work on it. */
  background?: boolean;
}

export interface GdalOutput {
  stdout: string;
  /** Warnings the tool printed (errors make the run fail). */
  warnings: string[];
}

/**
 * Settings given to every tool with `--config` (not the environment, which only the config package
 * reads): no `.aux.xml` side files next to inputs that live in the blob store, a bounded block cache so
 * memory stays flat whatever the raster's size, and no directory scans next to blobs.
 */
const GDAL_CONFIG: readonly string[] = [
  '--config', 'GDAL_PAM_ENABLED', 'NO',
  '--config', 'GDAL_DISABLE_READDIR_ON_OPEN', 'EMPTY_DIR',
];
/** Block cache in MiB: the conversion's, and the smaller one of a background pass that reads blocks once. */
const CACHE_MB = { foreground: 256, background: 64 };

const ERROR_LINE = /^ERROR \d+: (.*)$/gm;
const WARNING_LINE = /^Warning \d+: (.*)$/gm;

/** GDAL's messages for input it cannot read: an unrecognised, damaged or truncated file. */
const UNREADABLE_INPUT = /not recognized as a supported file format|TIFFRead|IReadBlock failed|Read error|TIFFFetch|Cannot read TIFF header|Not a TIFF|Error reading|truncated|corrupt/i;

function lines(pattern: RegExp, text: string): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1]!.trim());
}

/** Whether a GDAL_FAILED error was GDAL failing to read its input (the caller decides whose fault that is). */
export function isUnreadableInput(error: unknown): boolean {
  return error instanceof MeridianError && error.code === 'GDAL_FAILED' && UNREADABLE_INPUT.test(String(error.extra.gdal_errors ?? ''));
}

/** Runs a GDAL tool; a non-zero exit or any `ERROR n:` line on stderr is GDAL_FAILED quoting the errors. */
export async function runGdal(tool: GdalTool, args: readonly string[], options: GdalRunOptions = {}): Promise<GdalOutput> {
  const progress = options.onProgress ? new GdalProgressParser(options.onProgress) : null;
  const command = options.background ? ['nice', '-n', '10', tool] : [tool];
  const cache = ['--config', 'GDAL_CACHEMAX', String(options.background ? CACHE_MB.background : CACHE_MB.foreground)];
  const result = await runProcess(command[0]!, [...command.slice(1), ...GDAL_CONFIG, ...cache, ...args], {
    signal: options.signal,
    stdin: options.stdin,
    onStdout: progress ? (chunk) => progress.push(chunk) : undefined,
  });
  const errors = lines(ERROR_LINE, result.stderr);
  if (result.code !== 0 || errors.length > 0) {
    const cause = errors.length ? errors.slice(-5).join('; ') : result.stderr.trim().split('\n').slice(-3).join('; ') || `exit status ${result.code}`;
    throw new MeridianError('GDAL_FAILED', `${tool} failed: ${cause}`, { tool, exit_code: result.code, gdal_errors: errors.join('\n') });
  }
  return { stdout: result.stdout, warnings: lines(WARNING_LINE, result.stderr) };
}
