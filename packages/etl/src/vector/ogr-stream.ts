/**
 * The streaming reader: `ogr2ogr` converts the layer to PostgreSQL COPY text (GDAL's PGDUMP driver, to
 * stdout), reprojected to EPSG:4326, 2D, curves made linear. COPY text is what the database reads fastest
 * — values already in PostgreSQL's input syntax, geometries as hex EWKB — and costs GDAL a third of the
 * CPU GeoJSON output does. The output is consumed as it is produced: stdout is paused while the loader
 * writes a chunk, so memory stays flat whatever the file's size.
 */
import { spawn } from 'node:child_process';
import { MeridianError } from '@meridian/core';

export interface ReadRequest {
  gdalPath: string;
  layer: string;
  openOptions: readonly string[];
  /**
   * How coordinates reach EPSG:4326: they are in it already (the CRS is only stamped on), or they are
   * transformed from the CRS the file declares or from the one given with the job (the crs parameter).
   */
  crs: { kind: 'wgs84' } | { kind: 'declared' } | { kind: 'given'; crs: string };
}

function crsArgs(crs: ReadRequest['crs']): string[] {
  if (crs.kind === 'wgs84') return ['-a_srs', 'EPSG:4326'];
  return [...(crs.kind === 'given' ? ['-s_srs', crs.crs] : []), '-t_srs', 'EPSG:4326'];
}

/**
 * Names of the geometry and feature-id columns in the COPY statement, unlike any attribute's (with a space
 * and capitals), so the writer never moves or renames an attribute because it clashes with them.
 */
export const STREAM_GEOMETRY_NAME = 'Meridian Geometry';
const STREAM_FID_NAME = 'Meridian FID';
const STDERR_LIMIT = 16_384;
const KILL_GRACE_MS = 2_000;

export function ogr2ogrArgs(request: ReadRequest): string[] {
  return [
    '-f', 'PGDUMP', '/vsistdout/', request.gdalPath, request.layer,
    ...request.openOptions.flatMap((o) => ['-oo', o]),
    ...crsArgs(request.crs),
    '-dim', 'XY', '-nlt', 'GEOMETRY', '-nlt', 'CONVERT_TO_LINEAR', '-unsetFid', '-nln', 'load',
    '-lco', 'CREATE_TABLE=OFF', '-lco', 'DROP_TABLE=OFF', '-lco', 'CREATE_SCHEMA=OFF', '-lco', 'SPATIAL_INDEX=NONE',
    '-lco', 'LAUNDER=NO', '-lco', 'SRID=4326', '-lco', `GEOMETRY_NAME=${STREAM_GEOMETRY_NAME}`, '-lco', `FID=${STREAM_FID_NAME}`,
    '--config', 'PG_USE_COPY', 'YES', '--config', 'GDAL_PAM_ENABLED', 'NO',
  ];
}

function gdalErrors(stderr: string): string[] {
  return [...stderr.matchAll(/^ERROR \d+: (.*)$/gm)].map((m) => m[1]!.trim());
}

/** Why ogr2ogr failed, as the error the submitter can act on. */
function readFailure(stderr: string, code: number | null, displayName: string): Error {
  const errors = gdalErrors(stderr);
  const reason = errors.slice(0, 3).join('; ') || `ogr2ogr exited with ${code}`;
  if (/reproject|transform/i.test(reason)) {
    return new MeridianError('COORDINATES_OUT_OF_RANGE', `"${displayName}": coordinates could not be transformed to EPSG:4326: ${reason}`.slice(0, 1000), { blob_name: displayName });
  }
  return new MeridianError('CORRUPTED_FILE', `"${displayName}" could not be read to the end: ${reason}`.slice(0, 1000), { blob_name: displayName });
}

/**
 * The COPY text of the layer, chunk by chunk. Ends with an error when ogr2ogr fails (a file damaged past
 * what validation read, coordinates that cannot be transformed); stopping early or an abort kills it.
 */
export async function* readAsCopyText(request: ReadRequest, displayName: string, signal: AbortSignal): AsyncGenerator<string> {
  signal.throwIfAborted();
  const child = spawn('ogr2ogr', ogr2ogrArgs(request), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) yield chunk as string;
    const { code, error } = await exited;
    signal.throwIfAborted();
    if (error?.code === 'ENOENT') throw new MeridianError('GDAL_TOOL_MISSING', 'ogr2ogr is not installed (or not on PATH)', { tool: 'ogr2ogr' }, { cause: error });
    if (error) throw error;
    if (code === null) throw new Error(`ogr2ogr was stopped by a signal while reading "${displayName}": ${stderr.trim().slice(-500)}`);
    if (code !== 0 || gdalErrors(stderr).length) throw readFailure(stderr, code, displayName);
  } finally {
    signal.removeEventListener('abort', stop);
    stop();
    await exited;
    clearTimeout(killTimer);
  }
}
