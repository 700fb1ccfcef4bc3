/**
 * A raster's own pixel grid (its CRS, origin, pixel size and size), and output grids cut from it:
 * aligned to its pixels, scaled down to a maximum size, and bounded so no request can ask for an
 * unbounded image.
 */
import { MeridianError } from '@meridian/core';
import type { Bounds } from './tms.ts';
import type { Grid } from './warp.ts';

export interface Frame {
  crs: string;
  originX: number;
  originY: number;
  /** Pixel width and height, both positive (rows run south). */
  resX: number;
  resY: number;
  width: number;
  height: number;
}

/** No output image is larger than this (bbox, feature, preview with explicit width/height). */
export const MAX_OUTPUT_SIDE = 4096;

export function frameBounds(frame: Frame): Bounds {
  return [frame.originX, frame.originY - frame.resY * frame.height, frame.originX + frame.resX * frame.width, frame.originY];
}

export function checkOutputSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_OUTPUT_SIDE || height > MAX_OUTPUT_SIDE) {
    throw new MeridianError('RASTER_TOO_LARGE', `an output of ${width}x${height} pixels is not allowed; each side must be 1..${MAX_OUTPUT_SIDE}`, { limit: MAX_OUTPUT_SIDE });
  }
}

/** Shrinks width×height to fit max_size on the longer side, keeping the aspect ratio. */
export function fitSize(width: number, height: number, maxSize: number | undefined): [number, number] {
  if (!maxSize || Math.max(width, height) <= maxSize) return [width, height];
  const scale = maxSize / Math.max(width, height);
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

/**
 * The grid covering `bounds` (in the frame's CRS) on the frame's pixels: bounds snapped outwards to
 * pixel edges, then shrunk to max_size. Null when the bounds miss the frame.
 */
export function alignedGrid(frame: Frame, bounds: Bounds, maxSize?: number): Grid | null {
  const x0 = Math.max(0, Math.floor((bounds[0] - frame.originX) / frame.resX + 1e-9));
  const x1 = Math.min(frame.width, Math.ceil((bounds[2] - frame.originX) / frame.resX - 1e-9));
  const y0 = Math.max(0, Math.floor((frame.originY - bounds[3]) / frame.resY + 1e-9));
  const y1 = Math.min(frame.height, Math.ceil((frame.originY - bounds[1]) / frame.resY - 1e-9));
  if (x1 <= x0 || y1 <= y0) return null;
  const [width, height] = fitSize(x1 - x0, y1 - y0, maxSize);
  checkOutputSize(width, height);
  return {
    crs: frame.crs,
    bounds: [frame.originX + x0 * frame.resX, frame.originY - y1 * frame.resY, frame.originX + x1 * frame.resX, frame.originY - y0 * frame.resY],
    width,
    height,
  };
}
