/**
 * Resampling methods other than nearest (which read-part.ts samples straight from cached blocks), with
 * TiTiler's names. They work on a window copied out of the chosen overview level:
 *   - interpolating kernels (bilinear, cubic, cubic_spline, lanczos) as GDAL's warper defines them when
 *     the output is not coarser than the level (GDAL's kernels: triangle, Keys' cubic with a = -0.5,
 *     cubic B-spline, 3-lobe Lanczos), weights normalised to sum 1; where a tap is masked or outside the
 *     window the pixel falls back to nearest;
 *   - footprint reductions (average, mode, rms) over the valid level pixels whose centres fall inside
 *     the output pixel's footprint (GDAL also weights pixels the footprint only partly covers).
 */
import type { NumericArray } from './cog.ts';
import type { RasterData } from './raster-data.ts';
import { sourcePixel, type PixelMap } from './warp.ts';

export type Resampling = 'nearest' | 'bilinear' | 'cubic' | 'cubic_spline' | 'lanczos' | 'average' | 'mode' | 'rms';
export const RESAMPLING_METHODS: readonly Resampling[] = ['nearest', 'bilinear', 'cubic', 'cubic_spline', 'lanczos', 'average', 'mode', 'rms'];

interface Kernel {
  radius: number;
  weight(distance: number): number;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

const KERNELS: Partial<Record<Resampling, Kernel>> = {
  bilinear: { radius: 1, weight: (d) => Math.max(0, 1 - Math.abs(d)) },
  cubic: {
    radius: 2,
    weight: (d) => {
      const x = Math.abs(d);
      if (x <= 1) return (1.5 * x - 2.5) * x * x + 1;
      return x < 2 ? ((-0.5 * x + 2.5) * x - 4) * x + 2 : 0;
    },
  },
  cubic_spline: {
    radius: 2,
    weight: (d) => {
      const x = Math.abs(d);
      if (x < 1) return (4 - 6 * x * x + 3 * x * x * x) / 6;
      return x < 2 ? ((2 - x) ** 3) / 6 : 0;
    },
  },
  lanczos: { radius: 3, weight: (d) => (Math.abs(d) < 3 ? sinc(d) * sinc(d / 3) : 0) },
};

type Reduce = (values: number[]) => number;

const REDUCTIONS: Partial<Record<Resampling, Reduce>> = {
  average: (values) => values.reduce((sum, v) => sum + v, 0) / values.length,
  rms: (values) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length),
  mode: (values) => {
    const counts = new Map<number, number>();
    let best = values[0]!, bestCount = 0;
    for (const value of values) {
      const count = (counts.get(value) ?? 0) + 1;
      counts.set(value, count);
      if (count > bestCount) [best, bestCount] = [value, count];
    }
    return best;
  },
};

/** A window of one level's values: selected bands, and which of its pixels are valid (nodata, alpha). */
export interface SourceWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
  bands: NumericArray[];
  valid(at: number): boolean;
}

/** How the output pixels map onto the level: the pixel map scaled to the level, and a pixel's extent on it. */
export interface LevelMapping {
  map: PixelMap;
  scaleX: number;
  scaleY: number;
  /** Level pixels one output pixel spans, across and down. */
  spanX: number;
  spanY: number;
}

/** Level pixels a method reads beyond the footprint of the output pixels (the window's padding). */
export function reachOf(method: Resampling, mapping: Pick<LevelMapping, 'spanX' | 'spanY'>): number {
  const kernel = KERNELS[method];
  if (kernel) return kernel.radius;
  return REDUCTIONS[method] ? Math.ceil(Math.max(mapping.spanX, mapping.spanY) / 2) + 1 : 0;
}

/** Fills `result` (its bands and mask) by resampling the window with an interpolating or reducing method. */
export function resampleWindow(method: Resampling, window: SourceWindow, mapping: LevelMapping, result: RasterData): void {
  const kernel = KERNELS[method];
  const reduce = REDUCTIONS[method];
  const { width, height } = mapping.map;
  const taps = kernel ? new Float64Array(kernel.radius * 2) : null;
  const tapsY = kernel ? new Float64Array(kernel.radius * 2) : null;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const [x, y] = sourcePixel(mapping.map, column, row);
      const sx = x * mapping.scaleX - window.x0, sy = y * mapping.scaleY - window.y0;
      if (!(sx >= 0 && sy >= 0 && sx < window.width && sy < window.height)) continue;
      const i = row * width + column;
      if (kernel && interpolate(kernel, window, sx, sy, taps!, tapsY!, result, i)) continue;
      if (reduce) {
        reduceFootprint(reduce, window, sx, sy, mapping, result, i);
        continue;
      }
      const at = Math.floor(sy) * window.width + Math.floor(sx);
      if (!window.valid(at)) continue;
      for (let b = 0; b < window.bands.length; b++) result.bands[b]![i] = window.bands[b]![at]!;
      result.mask[i] = 255;
    }
  }
}

/** Kernel-weighted sum at (sx, sy); false (use nearest) when a tap is masked or outside the window. */
function interpolate(kernel: Kernel, window: SourceWindow, sx: number, sy: number, weightsX: Float64Array, weightsY: Float64Array, result: RasterData, i: number): boolean {
  const fx = sx - 0.5, fy = sy - 0.5;
  const x0 = Math.floor(fx) - kernel.radius + 1, y0 = Math.floor(fy) - kernel.radius + 1;
  const taps = weightsX.length;
  if (x0 < 0 || y0 < 0 || x0 + taps > window.width || y0 + taps > window.height) return false;
  let sumX = 0, sumY = 0;
  for (let t = 0; t < taps; t++) {
    sumX += weightsX[t] = kernel.weight(fx - (x0 + t));
    sumY += weightsY[t] = kernel.weight(fy - (y0 + t));
  }
  for (let ty = 0; ty < taps; ty++) {
    for (let tx = 0; tx < taps; tx++) if (!window.valid((y0 + ty) * window.width + x0 + tx)) return false;
  }
  const norm = 1 / (sumX * sumY);
  for (let b = 0; b < window.bands.length; b++) {
    const values = window.bands[b]!;
    let total = 0;
    for (let ty = 0; ty < taps; ty++) {
      const rowAt = (y0 + ty) * window.width + x0;
      let line = 0;
      for (let tx = 0; tx < taps; tx++) line += weightsX[tx]! * values[rowAt + tx]!;
      total += weightsY[ty]! * line;
    }
    result.bands[b]![i] = total * norm;
  }
  result.mask[i] = 255;
  return true;
}

/** Pixel indexes whose centres lie in [centre − span/2, centre + span/2); at least the pixel under the centre. */
function footprintRange(centre: number, span: number, size: number): [number, number] {
  let first = Math.ceil(centre - span / 2 - 0.5);
  let end = Math.ceil(centre + span / 2 - 0.5);
  if (end <= first) [first, end] = [Math.floor(centre), Math.floor(centre) + 1];
  return [Math.max(0, first), Math.min(size, end)];
}

function reduceFootprint(reduce: Reduce, window: SourceWindow, sx: number, sy: number, mapping: LevelMapping, result: RasterData, i: number): void {
  const [xFirst, xEnd] = footprintRange(sx, mapping.spanX, window.width);
  const [yFirst, yEnd] = footprintRange(sy, mapping.spanY, window.height);
  const valid: number[] = [];
  for (let y = yFirst; y < yEnd; y++) for (let x = xFirst; x < xEnd; x++) if (window.valid(y * window.width + x)) valid.push(y * window.width + x);
  if (valid.length === 0) return;
  for (let b = 0; b < window.bands.length; b++) {
    const values = window.bands[b]!;
    result.bands[b]![i] = reduce(valid.map((at) => values[at]!));
  }
  result.mask[i] = 255;
}
