/**
 * The output grids of each route family: a tile, a preview of the whole raster, a bbox extract and a
 * feature crop (with its coverage mask for zonal statistics). Grids of the raster's own CRS follow its
 * pixels, so a bbox on pixel edges returns exactly gdal_translate -projwin's pixels.
 */
import { MeridianError } from '@meridian/core';
import { transformBounds, transformer } from './crs.ts';
import { alignedGrid, checkOutputSize, fitSize, frameBounds, type Frame } from './frame.ts';
import { mapPolygons, polygonBounds, rasterize, type Polygons } from './geometry.ts';
import { checkTile, DEFAULT_TILE_SIZE, tileBounds, type Bounds, type TileAddress, type TileMatrixSet } from './tms.ts';
import type { Grid } from './warp.ts';

export const DEFAULT_PREVIEW_SIZE = 1024;
export const MAX_TILE_SIZE = 1024;
export const MAX_BUFFER = 64;

function intersects(a: Bounds, b: Bounds): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

export interface TileRequest {
  tileSize?: number;
  buffer?: number;
}

/** The tile's grid; RASTER_TILE_OUTSIDE_BOUNDS (404, as TiTiler) when it misses the raster's CRS84 bounds. */
export function tileGrid(tms: TileMatrixSet, tile: TileAddress, rasterBounds: Bounds, request: TileRequest = {}): Grid {
  checkTile(tms, tile);
  const tileSize = request.tileSize ?? DEFAULT_TILE_SIZE;
  const buffer = request.buffer ?? 0;
  if (!Number.isInteger(tileSize) || tileSize < 16 || tileSize > MAX_TILE_SIZE) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `tilesize must be 16..${MAX_TILE_SIZE}`, { parameter: 'tilesize' });
  }
  if (!Number.isInteger(buffer) || buffer < 0 || buffer > MAX_BUFFER) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `buffer must be an integer 0..${MAX_BUFFER}`, { parameter: 'buffer' });
  }
  const bounds = tileBounds(tms, tile, tileSize, buffer);
  if (!intersects(transformBounds(bounds, tms.crs, 'EPSG:4326'), rasterBounds)) {
    throw new MeridianError('RASTER_TILE_OUTSIDE_BOUNDS', `tile ${tile.z}/${tile.x}/${tile.y} of ${tms.id} is outside the raster's bounds`);
  }
  return { crs: tms.crs, bounds, width: tileSize + 2 * buffer, height: tileSize + 2 * buffer };
}

export interface SizeRequest {
  maxSize?: number;
  width?: number;
  height?: number;
}

/** The whole raster in its own CRS, fitted to max_size (default 1024) unless width/height are given. */
export function previewGrid(frame: Frame, request: SizeRequest): Grid {
  const bounds = frameBounds(frame);
  let [width, height] = fitSize(frame.width, frame.height, request.maxSize ?? DEFAULT_PREVIEW_SIZE);
  if (request.width && request.height) [width, height] = [request.width, request.height];
  else if (request.width) [width, height] = [request.width, Math.max(1, Math.round((request.width * frame.height) / frame.width))];
  else if (request.height) [width, height] = [Math.max(1, Math.round((request.height * frame.width) / frame.height)), request.height];
  checkOutputSize(width, height);
  return { crs: frame.crs, bounds, width, height };
}

export interface BboxRequest extends SizeRequest {
  coordCrs: string;
  dstCrs: string;
}

/** A bbox in coord_crs, returned in dst_crs: on the raster's pixels when dst_crs is its CRS and no size is given. */
export function bboxGrid(frame: Frame, bbox: Bounds, request: BboxRequest): Grid {
  if (!(bbox[0] < bbox[2] && bbox[1] < bbox[3])) {
    throw new MeridianError('INVALID_BBOX', `bbox ${bbox.join(',')} must be minx,miny,maxx,maxy with min < max`);
  }
  const bounds = request.dstCrs === request.coordCrs ? bbox : transformBounds(bbox, request.coordCrs, request.dstCrs);
  if (request.width && request.height) {
    checkOutputSize(request.width, request.height);
    return { crs: request.dstCrs, bounds, width: request.width, height: request.height };
  }
  if (request.dstCrs === frame.crs) {
    const grid = alignedGrid(frame, bounds, request.maxSize);
    if (!grid) throw new MeridianError('RASTER_TILE_OUTSIDE_BOUNDS', `bbox ${bbox.join(',')} is outside the raster's bounds`);
    return grid;
  }
  const native = transformBounds(bounds, request.dstCrs, frame.crs);
  const nativeWidth = Math.max(1, Math.round((native[2] - native[0]) / frame.resX));
  const nativeHeight = Math.max(1, Math.round((native[3] - native[1]) / frame.resY));
  const [width, height] = fitSize(nativeWidth, nativeHeight, request.maxSize);
  checkOutputSize(width, height);
  return { crs: request.dstCrs, bounds, width, height };
}

export interface FeatureGrid {
  grid: Grid;
  /** 255 where the pixel centre is inside the geometry. */
  coverage: Uint8Array;
}

/** The geometry's bounding grid on the raster's pixels, and which of its pixels the geometry covers. */
export function featureGrid(frame: Frame, polygons: Polygons, coordCrs: string, maxSize?: number): FeatureGrid {
  const native = mapPolygons(polygons, transformer(coordCrs, frame.crs));
  const grid = alignedGrid(frame, polygonBounds(native), maxSize);
  if (!grid) throw new MeridianError('RASTER_TILE_OUTSIDE_BOUNDS', 'the feature is outside the raster\'s bounds');
  const [minX, , , maxY] = grid.bounds;
  const cellX = (grid.bounds[2] - minX) / grid.width;
  const cellY = (maxY - grid.bounds[1]) / grid.height;
  const inPixels = mapPolygons(native, (x, y) => [(x - minX) / cellX, (maxY - y) / cellY]);
  return { grid, coverage: rasterize(inPixels, grid.width, grid.height) };
}
