/**
 * GeoJSON geometries for `feature` and zonal statistics: validation, bounds, and rasterization of
 * (multi)polygons onto a pixel grid — a pixel is inside when its centre is (even-odd rule), as GDAL's
 * default rasterization does.
 */
import { MeridianError } from '@meridian/core';
import type { Bounds } from './tms.ts';

export type Ring = Array<[number, number]>;
/** Polygons, each a list of rings (outer first). */
export type Polygons = Ring[][];

export interface GeoJsonFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties?: Record<string, unknown> | null;
  id?: string | number;
}

export const MAX_VERTICES = 100_000;
/** Features per request (zonal statistics reads each one). */
export const MAX_FEATURES = 100;

function invalid(why: string): never {
  throw new MeridianError('RASTER_GEOMETRY_INVALID', why, { parameter: 'body' });
}

function ring(value: unknown): Ring {
  if (!Array.isArray(value) || value.length < 4) invalid('a polygon ring needs at least 4 positions');
  return value.map((position: unknown) => {
    if (!Array.isArray(position) || position.length < 2 || typeof position[0] !== 'number' || typeof position[1] !== 'number' || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
      invalid('positions are [x, y] numbers');
    }
    return [position[0], position[1]] as [number, number];
  });
}

/** The polygons of a Polygon or MultiPolygon geometry; RASTER_GEOMETRY_INVALID for anything else. */
export function polygonsOf(geometry: { type: string; coordinates: unknown } | null | undefined): Polygons {
  if (!geometry || typeof geometry !== 'object') invalid('the feature has no geometry');
  const coordinates = geometry.coordinates;
  let polygons: Polygons;
  if (geometry.type === 'Polygon' && Array.isArray(coordinates)) polygons = [coordinates.map(ring)];
  else if (geometry.type === 'MultiPolygon' && Array.isArray(coordinates)) {
    polygons = coordinates.map((polygon: unknown) => (Array.isArray(polygon) ? polygon.map(ring) : invalid('MultiPolygon coordinates are lists of polygons')));
  } else invalid(`geometry type ${String(geometry.type)} is not supported; use Polygon or MultiPolygon`);
  const vertices = polygons.flat(2).length;
  if (vertices > MAX_VERTICES) invalid(`the geometry has ${vertices} vertices; the limit is ${MAX_VERTICES}`);
  return polygons;
}

/** The features of a Feature or FeatureCollection body. */
export function featuresOf(body: unknown): GeoJsonFeature[] {
  const object = body as { type?: string; features?: unknown };
  if (object?.type === 'Feature') return [body as GeoJsonFeature];
  if (object?.type === 'FeatureCollection' && Array.isArray(object.features)) {
    if (object.features.length > MAX_FEATURES) invalid(`the collection has ${object.features.length} features; the limit is ${MAX_FEATURES} per request`);
    return object.features as GeoJsonFeature[];
  }
  return invalid('send a GeoJSON Feature or FeatureCollection');
}

export function mapPolygons(polygons: Polygons, transform: (x: number, y: number) => [number, number]): Polygons {
  return polygons.map((polygon) => polygon.map((r) => r.map(([x, y]) => transform(x, y))));
}

export function polygonBounds(polygons: Polygons): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of polygons.flat(2)) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * 255 where the pixel centre is inside, on a `width`×`height` grid whose pixel (c, r) has its centre at
 * `toGrid`-space (c + 0.5, r + 0.5); `polygons` must already be in that pixel space.
 */
export function rasterize(polygons: Polygons, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const edges = polygons.flat(1).flatMap((r) => r.slice(1).map((end, i) => [r[i]!, end] as const));
  const crossings: number[] = [];
  for (let row = 0; row < height; row++) {
    const y = row + 0.5;
    crossings.length = 0;
    for (const [[x0, y0], [x1, y1]] of edges) {
      if ((y0 <= y && y1 > y) || (y1 <= y && y0 > y)) crossings.push(x0 + ((y - y0) / (y1 - y0)) * (x1 - x0));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const to = Math.min(width - 1, Math.ceil(crossings[k + 1]! - 0.5) - 1);
      for (let column = from; column <= to; column++) out[row * width + column] = 255;
    }
  }
  return out;
}
