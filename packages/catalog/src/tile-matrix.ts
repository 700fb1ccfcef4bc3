/** WebMercatorQuad (EPSG:3857, 256-pixel tiles at zoom 0) tile addresses and their bounds. */
import { MeridianError } from '@meridian/core';

export const TILE_MATRIX_SET = 'WebMercatorQuad';
export const MIN_ZOOM = 0;
/** Beyond z22 a tile is under 1 cm across; clients overzoom the z22 tiles instead. */
export const MAX_ZOOM = 22;
/** Tile coordinate resolution (MVT extent) and the buffer drawn around each tile, in those units. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

const ORIGIN = 20037508.342789244;
const MAX_LATITUDE = 85.0511287798066;

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** [minX, minY, maxX, maxY] in EPSG:3857 metres. */
export type MercatorBounds = [number, number, number, number];

export function checkTileAddress(tile: TileAddress): void {
  const { z, x, y } = tile;
  if (!Number.isInteger(z) || z < MIN_ZOOM || z > MAX_ZOOM) {
    throw new MeridianError('TILE_OUT_OF_RANGE', `zoom ${z} is outside ${MIN_ZOOM}..${MAX_ZOOM}`);
  }
  const size = 2 ** z;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= size || y >= size) {
    throw new MeridianError('TILE_OUT_OF_RANGE', `tile ${z}/${x}/${y} does not exist: at zoom ${z}, x and y run from 0 to ${size - 1}`);
  }
}

/** The tile's bounds, grown by `buffer` tile units on every side. */
export function tileBounds(tile: TileAddress, buffer = 0): MercatorBounds {
  const span = (2 * ORIGIN) / 2 ** tile.z;
  const margin = (span * buffer) / TILE_EXTENT;
  const minX = -ORIGIN + tile.x * span;
  const maxY = ORIGIN - tile.y * span;
  return [minX - margin, maxY - span - margin, minX + span + margin, maxY + margin];
}

/** The size of one tile unit (1/4096 of the tile) in metres. */
export function tileUnit(tile: TileAddress): number {
  return (2 * ORIGIN) / 2 ** tile.z / TILE_EXTENT;
}

/** The same unit in degrees of longitude. */
export function tileUnitDegrees(tile: TileAddress): number {
  return 360 / 2 ** tile.z / TILE_EXTENT;
}

function latitude(y: number): number {
  return (Math.atan(Math.sinh(y / 6378137)) * 180) / Math.PI;
}

/** Mercator bounds as [west, south, east, north] degrees, clamped to the world (the buffer may exceed it). */
export function toLonLat(bounds: MercatorBounds): [number, number, number, number] {
  const clampX = (x: number) => Math.max(-180, Math.min(180, (x / ORIGIN) * 180));
  const clampY = (y: number) => Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, latitude(y)));
  return [clampX(bounds[0]), clampY(bounds[1]), clampX(bounds[2]), clampY(bounds[3])];
}

/** The WebMercatorQuad world extent in degrees, for TileJSON bounds. */
export const WORLD_BOUNDS: [number, number, number, number] = [-180, -MAX_LATITUDE, 180, MAX_LATITUDE];
