/**
 * Where each output pixel comes from. Projecting every pixel with proj4 is slow, so the exact transform
 * is computed on a grid of nodes (every GRID_STEP pixels and the last row/column) and bilinearly
 * interpolated between them: exact at the nodes and well under 0.1 px off in between for the smooth
 * transforms between map projections (test/warp.test.ts measures it). Cells touching a node that does
 * not project (outside a projection's domain) fall back to exact per-pixel projection.
 */
import type { CogInfo } from './cog.ts';
import { transformer } from './crs.ts';
import type { Bounds } from './tms.ts';

/** An output raster: its CRS, its outer bounds, and its size in pixels. */
export interface Grid {
  crs: string;
  bounds: Bounds;
  width: number;
  height: number;
}

export const GRID_STEP = 16;

/** Continuous full-resolution source pixel coordinates (column, row) of each output pixel's centre. */
export interface PixelMap {
  xs: Float64Array;
  ys: Float64Array;
}

type Project = (column: number, row: number) => [number, number];

function exactProjector(grid: Grid, info: CogInfo): Project {
  const toSource = transformer(grid.crs, info.crs);
  const [minX, minY, maxX, maxY] = grid.bounds;
  const cellX = (maxX - minX) / grid.width;
  const cellY = (maxY - minY) / grid.height;
  const [originX, pixelWidth, , originY, , pixelHeight] = info.geotransform;
  return (column, row) => {
    const [x, y] = toSource(minX + (column + 0.5) * cellX, maxY - (row + 0.5) * cellY);
    return [(x - originX) / pixelWidth, (y - originY) / pixelHeight];
  };
}

function nodePositions(size: number, step: number): number[] {
  const nodes: number[] = [];
  for (let at = 0; at < size - 1; at += step) nodes.push(at);
  nodes.push(size - 1);
  return nodes;
}

export function pixelMap(grid: Grid, info: CogInfo, step = GRID_STEP): PixelMap {
  const { width, height } = grid;
  const project = exactProjector(grid, info);
  const xs = new Float64Array(width * height);
  const ys = new Float64Array(width * height);
  const columns = nodePositions(width, step);
  const rows = nodePositions(height, step);
  const nodeX = new Float64Array(columns.length * rows.length);
  const nodeY = new Float64Array(columns.length * rows.length);
  for (const [r, row] of rows.entries()) {
    for (const [c, column] of columns.entries()) {
      const [x, y] = project(column, row);
      nodeX[r * columns.length + c] = x;
      nodeY[r * columns.length + c] = y;
    }
  }
  const cellsX = Math.max(1, columns.length - 1);
  const cellsY = Math.max(1, rows.length - 1);
  for (let cy = 0; cy < cellsY; cy++) {
    const row0 = rows[cy]!, row1 = rows[Math.min(cy + 1, rows.length - 1)]!;
    const lastRow = cy === cellsY - 1 ? row1 : row1 - 1;
    for (let cx = 0; cx < cellsX; cx++) {
      const col0 = columns[cx]!, col1 = columns[Math.min(cx + 1, columns.length - 1)]!;
      const lastCol = cx === cellsX - 1 ? col1 : col1 - 1;
      const corners = [cy * columns.length + cx, cy * columns.length + Math.min(cx + 1, columns.length - 1), Math.min(cy + 1, rows.length - 1) * columns.length + cx, Math.min(cy + 1, rows.length - 1) * columns.length + Math.min(cx + 1, columns.length - 1)];
      const finite = corners.every((i) => Number.isFinite(nodeX[i]!) && Number.isFinite(nodeY[i]!));
      const [i00, i10, i01, i11] = corners as [number, number, number, number];
      for (let row = row0; row <= lastRow; row++) {
        const v = row1 === row0 ? 0 : (row - row0) / (row1 - row0);
        for (let column = col0; column <= lastCol; column++) {
          const at = row * width + column;
          if (!finite) {
            [xs[at], ys[at]] = project(column, row);
            continue;
          }
          const u = col1 === col0 ? 0 : (column - col0) / (col1 - col0);
          xs[at] = (1 - v) * ((1 - u) * nodeX[i00]! + u * nodeX[i10]!) + v * ((1 - u) * nodeX[i01]! + u * nodeX[i11]!);
          ys[at] = (1 - v) * ((1 - u) * nodeY[i00]! + u * nodeY[i10]!) + v * ((1 - u) * nodeY[i01]! + u * nodeY[i11]!);
        }
      }
    }
  }
  return { xs, ys };
}

/** The exact mapping of one output pixel, for tests measuring the interpolation error. */
export function exactPixel(grid: Grid, info: CogInfo, column: number, row: number): [number, number] {
  return exactProjector(grid, info)(column, row);
}
