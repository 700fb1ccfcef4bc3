/**
 * Where each output pixel comes from. Projecting every pixel with proj4 is slow, so the exact transform
 * is computed on a grid of nodes (every GRID_STEP pixels and the last row/column) and bilinearly
 * interpolated between them: exact at the nodes and well under 0.1 px off in between for the smooth
 * transforms between map projections (test/warp-mosaic.test.ts measures it). Cells touching a node that
 * does not project (outside a projection's domain) fall back to exact per-pixel projection.
 * Most tiles need far less: when the source column depends only on the output column and the source
 * row only on the output row (a north-up grid in the source's own CRS, Web Mercator over CRS84), the
 * map is "separable" and is projected exactly once per column and once per row.
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
export type PixelMap = SeparableMap | FullMap;

/** Source column per output column and source row per output row. */
export interface SeparableMap {
  kind: 'separable';
  width: number;
  height: number;
  columnXs: Float64Array;
  rowYs: Float64Array;
}

/** Source column and row per output pixel (row-major). */
export interface FullMap {
  kind: 'full';
  width: number;
  height: number;
  xs: Float64Array;
  ys: Float64Array;
  /** minX, minY, maxX, maxY of the finite positions. */
  extent: [number, number, number, number];
}

/** Where output pixel (column, row) comes from. */
export function sourcePixel(map: PixelMap, column: number, row: number): [number, number] {
  if (map.kind === 'separable') return [map.columnXs[column]!, map.rowYs[row]!];
  const at = row * map.width + column;
  return [map.xs[at]!, map.ys[at]!];
}

/** Nodes closer than this (in source pixels) to their row's x or column's y count as separable. */
const SEPARABLE_TOLERANCE = 1e-6;

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

/** x of every node equals the x of its column's first node, and y its row's (all finite): null otherwise. */
function separableMap(grid: Grid, project: Project, nodeX: Float64Array, nodeY: Float64Array, nodeColumns: number, nodeRows: number): SeparableMap | null {
  for (let r = 0; r < nodeRows; r++) {
    for (let c = 0; c < nodeColumns; c++) {
      const at = r * nodeColumns + c;
      if (!(Math.abs(nodeX[at]! - nodeX[c]!) < SEPARABLE_TOLERANCE && Math.abs(nodeY[at]! - nodeY[r * nodeColumns]!) < SEPARABLE_TOLERANCE)) return null;
    }
  }
  const columnXs = new Float64Array(grid.width);
  const rowYs = new Float64Array(grid.height);
  for (let column = 0; column < grid.width; column++) columnXs[column] = project(column, 0)[0];
  for (let row = 0; row < grid.height; row++) rowYs[row] = project(0, row)[1];
  return { kind: 'separable', width: grid.width, height: grid.height, columnXs, rowYs };
}

export function pixelMap(grid: Grid, info: CogInfo, step = GRID_STEP): PixelMap {
  const { width, height } = grid;
  const project = exactProjector(grid, info);
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
  const separable = separableMap(grid, project, nodeX, nodeY, columns.length, rows.length);
  if (separable) return separable;
  const xs = new Float64Array(width * height);
  const ys = new Float64Array(width * height);
  const extent: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const include = (x: number, y: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    extent[0] = Math.min(extent[0], x); extent[1] = Math.min(extent[1], y);
    extent[2] = Math.max(extent[2], x); extent[3] = Math.max(extent[3], y);
  };
  // Interpolated positions are convex combinations of their cell's nodes: the nodes bound them.
  for (let i = 0; i < nodeX.length; i++) include(nodeX[i]!, nodeY[i]!);
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
      const du = col1 === col0 ? 0 : 1 / (col1 - col0);
      for (let row = row0; row <= lastRow; row++) {
        if (!finite) {
          for (let column = col0; column <= lastCol; column++) {
            const at = row * width + column;
            [xs[at], ys[at]] = project(column, row);
            include(xs[at]!, ys[at]!);
          }
          continue;
        }
        // The cell's left and right edges at this row, then linear along the row.
        const v = row1 === row0 ? 0 : (row - row0) / (row1 - row0);
        const leftX = (1 - v) * nodeX[i00]! + v * nodeX[i01]!, rightX = (1 - v) * nodeX[i10]! + v * nodeX[i11]!;
        const leftY = (1 - v) * nodeY[i00]! + v * nodeY[i01]!, rightY = (1 - v) * nodeY[i10]! + v * nodeY[i11]!;
        for (let column = col0, at = row * width + col0; column <= lastCol; column++, at++) {
          const u = (column - col0) * du;
          xs[at] = leftX + (rightX - leftX) * u;
          ys[at] = leftY + (rightY - leftY) * u;
        }
      }
    }
  }
  return { kind: 'full', width, height, xs, ys, extent };
}

/** The exact mapping of one output pixel, for tests measuring the interpolation error. */
export function exactPixel(grid: Grid, info: CogInfo, column: number, row: number): [number, number] {
  return exactProjector(grid, info)(column, row);
}
