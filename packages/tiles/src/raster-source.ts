/**
 * The reader abstraction the routes work against (TiTiler's idea): one set of operations serves a single
 * COG (a STAC item's asset) and a mosaic of many (a registered search). A source reads onto any output
 * grid, answers point queries, and describes itself.
 */
import type { Bounds } from './tms.ts';
import type { RasterData } from './raster-data.ts';
import type { ReadOptions } from './read-part.ts';
import type { Frame } from './frame.ts';
import type { Grid } from './warp.ts';
import type { DataType } from './cog.ts';

export interface SourceInfo {
  /** In CRS84. */
  bounds: Bounds;
  crs: string;
  epsg: number;
  width: number;
  height: number;
  bandCount: number;
  dtype: DataType;
  nodata: number | null;
  overviewFactors: number[];
  /** The zoom range of WebMercatorQuad tiles worth asking for. */
  minzoom: number;
  maxzoom: number;
}

export interface PointValues {
  /** Per requested band, null where masked (nodata, outside). */
  values: Array<number | null>;
  bandNames: string[];
}

export interface RasterSource {
  /** Changes whenever the data a read of `grid` (null: the whole source) would use does (for ETags). */
  versionFor(grid: Grid | null): Promise<string>;
  info(): Promise<SourceInfo>;
  /** The source's own pixel grid, for previews, extracts and statistics. */
  frame(): Promise<Frame>;
  readGrid(grid: Grid, options: ReadOptions): Promise<RasterData>;
  /** Values at a point given in `crs`; null when the point is outside the raster. */
  point(x: number, y: number, crs: string, options: ReadOptions): Promise<PointValues | null>;
}
