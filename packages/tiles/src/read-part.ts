/**
 * Reading a COG onto an output grid (a tile, a preview, a bbox): pick the overview for the output
 * resolution, read the source window the grid covers (bounded), and resample each output pixel from it,
 * honouring nodata (the COG's or the request's) and an alpha band as the mask.
 */
import { MeridianError } from '@meridian/core';
import type { Cog, CogInfo, NumericArray } from './cog.ts';
import { emptyRaster, type RasterData } from './raster-data.ts';
import { pixelMap, type Grid } from './warp.ts';

export type Resampling = 'nearest' | 'bilinear';
export const RESAMPLING_METHODS: readonly Resampling[] = ['nearest', 'bilinear'];

export interface ReadOptions {
  /** 1-based band indexes (TiTiler's bidx); all data bands when omitted. */
  bidx?: number[];
  /** Overrides the COG's nodata value. */
  nodata?: number | null;
  resampling?: Resampling;
  signal?: AbortSignal;
}

/** A read never decodes more than this many source pixels (per band): bounded time and memory. */
export const MAX_WINDOW_PIXELS = 4096 * 4096;

export function selectedBands(info: CogInfo, bidx: number[] | undefined): number[] {
  const bands = bidx ?? Array.from({ length: info.bandCount }, (_, i) => i + 1);
  for (const band of bands) {
    if (!Number.isInteger(band) || band < 1 || band > info.bandCount) {
      throw new MeridianError('RASTER_PARAMETER_INVALID', `bidx ${band} does not exist: the raster has bands 1..${info.bandCount}`, { parameter: 'bidx' });
    }
  }
  return bands;
}

function isNodata(value: number, nodata: number | null): boolean {
  if (nodata === null) return false;
  return Number.isNaN(nodata) ? Number.isNaN(value) : value === nodata;
}

export async function readGrid(cog: Cog, grid: Grid, options: ReadOptions = {}): Promise<RasterData> {
  const { info } = cog;
  const bands = selectedBands(info, options.bidx);
  const bandNames = bands.map((band) => `b${band}`);
  const result = emptyRaster(grid.width, grid.height, bandNames);
  const map = pixelMap(grid, info);
  const level = cog.levelFor(outputFactor(map.xs, map.ys, grid));
  const { factorX, factorY, width: levelWidth, height: levelHeight } = cog.levels[level]!;
  const bilinear = options.resampling === 'bilinear';
  const pad = bilinear ? 1 : 0;

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < map.xs.length; i++) {
    const x = map.xs[i]! / factorX, y = map.ys[i]! / factorY;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const window = {
    x0: Math.max(0, Math.floor(minX) - pad),
    y0: Math.max(0, Math.floor(minY) - pad),
    x1: Math.min(levelWidth, Math.floor(maxX) + 1 + pad),
    y1: Math.min(levelHeight, Math.floor(maxY) + 1 + pad),
  };
  if (window.x1 <= window.x0 || window.y1 <= window.y0) return result;
  const windowWidth = window.x1 - window.x0;
  const windowHeight = window.y1 - window.y0;
  if (windowWidth * windowHeight > MAX_WINDOW_PIXELS) {
    throw new MeridianError('RASTER_TOO_LARGE', `the request needs ${windowWidth}x${windowHeight} source pixels; the limit is ${MAX_WINDOW_PIXELS} pixels per read`, { limit: MAX_WINDOW_PIXELS });
  }

  const samples = bands.map((band) => band - 1);
  if (info.alphaSample !== null) samples.push(info.alphaSample);
  const source = await cog.readWindow(level, window, samples, options.signal);
  const alpha = info.alphaSample === null ? null : source[source.length - 1]!;
  const nodata = options.nodata === undefined ? info.nodata : options.nodata;
  const masking = alpha !== null || nodata !== null;
  const valid = (at: number): boolean => {
    if (alpha && alpha[at] === 0) return false;
    for (let b = 0; b < bands.length; b++) if (isNodata(source[b]![at]!, nodata)) return false;
    return true;
  };

  const scaleX = 1 / factorX, scaleY = 1 / factorY;
  const { xs, ys } = map;
  for (let i = 0; i < xs.length; i++) {
    const sx = xs[i]! * scaleX - window.x0;
    const sy = ys[i]! * scaleY - window.y0;
    if (!(sx >= 0 && sy >= 0 && sx < windowWidth && sy < windowHeight)) continue;
    if (bilinear && interpolate(source, bands.length, valid, windowWidth, windowHeight, sx, sy, result, i)) continue;
    // Both are non-negative here, so truncation is floor.
    const at = (sy | 0) * windowWidth + (sx | 0);
    if (masking && !valid(at)) continue;
    for (let b = 0; b < bands.length; b++) result.bands[b]![i] = source[b]![at]!;
    result.mask[i] = 255;
  }
  return result;
}

/** Bilinear sample at (sx, sy); false (use nearest) at the edge or when a neighbour is masked. */
function interpolate(source: NumericArray[], bandCount: number, valid: (at: number) => boolean, width: number, height: number, sx: number, sy: number, result: RasterData, i: number): boolean {
  const fx = sx - 0.5, fy = sy - 0.5;
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return false;
  const a = y0 * width + x0, b = a + 1, c = a + width, d = c + 1;
  if (!valid(a) || !valid(b) || !valid(c) || !valid(d)) return false;
  const u = fx - x0, v = fy - y0;
  for (let band = 0; band < bandCount; band++) {
    const s = source[band]!;
    result.bands[band]![i] = (1 - v) * ((1 - u) * s[a]! + u * s[b]!) + v * ((1 - u) * s[c]! + u * s[d]!);
  }
  result.mask[i] = 255;
  return true;
}

/** Full-resolution source pixels per output pixel, measured across the middle of the grid. */
function outputFactor(xs: Float64Array, ys: Float64Array, grid: Grid): number {
  const { width, height } = grid;
  if (width < 2 && height < 2) return 1;
  const midRow = Math.floor(height / 2) * width;
  const midColumn = Math.floor(width / 2);
  const across = width > 1 ? Math.hypot(xs[midRow + width - 1]! - xs[midRow]!, ys[midRow + width - 1]! - ys[midRow]!) / (width - 1) : Infinity;
  const down = height > 1 ? Math.hypot(xs[(height - 1) * width + midColumn]! - xs[midColumn]!, ys[(height - 1) * width + midColumn]! - ys[midColumn]!) / (height - 1) : Infinity;
  const factor = Math.min(across, down);
  return Number.isFinite(factor) ? factor : 1;
}
