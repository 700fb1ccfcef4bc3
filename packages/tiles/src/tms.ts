/**
 * The two tile matrix sets served for raster tiles, as OGC Two Dimensional Tile Matrix Set 2.0 defines
 * them: WebMercatorQuad (EPSG:3857, one 256-px tile at zoom 0) and WorldCRS84Quad (CRS84, two tiles at
 * zoom 0). Everything a route needs: a tile's bounds, the zoom for a resolution, and the OGC JSON.
 */
import { MeridianError } from '@meridian/core';

export type Bounds = [number, number, number, number];

export interface TileMatrixSet {
  id: 'WebMercatorQuad' | 'WorldCRS84Quad';
  title: string;
  uri: string;
  /** proj4 name of the CRS the tiles are cut in. */
  crs: string;
  crsUri: string;
  orderedAxes: [string, string];
  /** Top-left corner of the matrix. */
  origin: [number, number];
  /** Width (and height) of one tile at zoom 0, in CRS units. */
  tileSpan0: number;
  /** Tiles across at zoom 0 (rows are always 2^z). */
  columns0: number;
  /** Metres per CRS unit, for the scale denominator. */
  metresPerUnit: number;
  minZoom: number;
  maxZoom: number;
}

const MERCATOR_ORIGIN = 20037508.342789244;
/** OGC's standardized rendering pixel size, 0.28 mm. */
const PIXEL_SIZE_METRES = 0.00028;
export const DEFAULT_TILE_SIZE = 256;

export const TILE_MATRIX_SETS: readonly TileMatrixSet[] = [
  {
    id: 'WebMercatorQuad',
    title: 'Google Maps Compatible for the World',
    uri: 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad',
    crs: 'EPSG:3857',
    crsUri: 'http://www.opengis.net/def/crs/EPSG/0/3857',
    orderedAxes: ['X', 'Y'],
    origin: [-MERCATOR_ORIGIN, MERCATOR_ORIGIN],
    tileSpan0: 2 * MERCATOR_ORIGIN,
    columns0: 1,
    metresPerUnit: 1,
    minZoom: 0,
    maxZoom: 24,
  },
  {
    id: 'WorldCRS84Quad',
    title: 'CRS84 for the World',
    uri: 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad',
    crs: 'EPSG:4326',
    crsUri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
    orderedAxes: ['Lon', 'Lat'],
    origin: [-180, 90],
    tileSpan0: 180,
    columns0: 2,
    metresPerUnit: (2 * Math.PI * 6378137) / 360,
    minZoom: 0,
    maxZoom: 23,
  },
];

export function tileMatrixSet(id: string): TileMatrixSet {
  const found = TILE_MATRIX_SETS.find((tms) => tms.id === id);
  if (!found) {
    throw new MeridianError('TILE_MATRIX_SET_UNKNOWN', `"${id}" is not a tile matrix set here; use ${TILE_MATRIX_SETS.map((t) => t.id).join(' or ')}`);
  }
  return found;
}

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

export function matrixSize(tms: TileMatrixSet, z: number): { columns: number; rows: number } {
  return { columns: tms.columns0 * 2 ** z, rows: 2 ** z };
}

/** Throws TILE_OUT_OF_RANGE for a zoom outside the set or a column/row outside the matrix. */
export function checkTile(tms: TileMatrixSet, tile: TileAddress): void {
  const { z, x, y } = tile;
  if (!Number.isInteger(z) || z < tms.minZoom || z > tms.maxZoom) {
    throw new MeridianError('TILE_OUT_OF_RANGE', `zoom ${z} is outside ${tms.minZoom}..${tms.maxZoom} of ${tms.id}`);
  }
  const { columns, rows } = matrixSize(tms, z);
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= columns || y >= rows) {
    throw new MeridianError('TILE_OUT_OF_RANGE', `tile ${z}/${x}/${y} is not in ${tms.id}: x runs 0..${columns - 1}, y 0..${rows - 1}`);
  }
}

/** [minX, minY, maxX, maxY] of the tile in the set's CRS, grown by `buffer` pixels of `tileSize`. */
export function tileBounds(tms: TileMatrixSet, tile: TileAddress, tileSize = DEFAULT_TILE_SIZE, buffer = 0): Bounds {
  const span = tms.tileSpan0 / 2 ** tile.z;
  const margin = (span * buffer) / tileSize;
  const minX = tms.origin[0] + tile.x * span;
  const maxY = tms.origin[1] - tile.y * span;
  return [minX - margin, maxY - span - margin, minX + span + margin, maxY + margin];
}

/** Size of one pixel of a `tileSize` tile at zoom z, in CRS units. */
export function cellSize(tms: TileMatrixSet, z: number, tileSize = DEFAULT_TILE_SIZE): number {
  return tms.tileSpan0 / 2 ** z / tileSize;
}

/** The zoom whose pixel size is closest (by ratio) to `resolution` in CRS units, as morecantile's "auto", clamped. */
export function zoomForResolution(tms: TileMatrixSet, resolution: number): number {
  const zoom = Math.round(Math.log2(tms.tileSpan0 / DEFAULT_TILE_SIZE / resolution));
  return Math.max(tms.minZoom, Math.min(tms.maxZoom, zoom));
}

/** The OGC Tile Matrix Set 2.0 JSON document of the set. */
export function tileMatrixSetJson(tms: TileMatrixSet): Record<string, unknown> {
  const tileMatrices = [];
  for (let z = tms.minZoom; z <= tms.maxZoom; z++) {
    const size = cellSize(tms, z);
    const { columns, rows } = matrixSize(tms, z);
    tileMatrices.push({
      id: String(z),
      scaleDenominator: (size * tms.metresPerUnit) / PIXEL_SIZE_METRES,
      cellSize: size,
      cornerOfOrigin: 'topLeft',
      pointOfOrigin: tms.origin,
      tileWidth: DEFAULT_TILE_SIZE,
      tileHeight: DEFAULT_TILE_SIZE,
      matrixWidth: columns,
      matrixHeight: rows,
    });
  }
  return { id: tms.id, title: tms.title, uri: tms.uri, crs: tms.crsUri, orderedAxes: tms.orderedAxes, tileMatrices };
}
