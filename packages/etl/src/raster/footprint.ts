/**
 * Where a raster lies: its bounding box in its own CRS (from the geotransform) and in WGS84, plus a
 * WGS84 outline polygon. The WGS84 shapes come from points all along the raster's edges, not only its
 * corners, since a projected grid's edges are curves in longitude/latitude.
 */
import { MeridianError } from '@meridian/core';
import { runGdal } from './gdal-runner.ts';

export type Box = [number, number, number, number];

/** Where a raster lies in WGS84. */
export interface Wgs84Outline {
  bbox: Box;
  /** Closed ring, longitude first. */
  polygon: [number, number][];
}

/** Points per edge: a bounding box within a fraction of a pixel for any common projection. */
const EDGE_SEGMENTS = 16;

export type GeoTransform = [number, number, number, number, number, number];

function boxOf(points: readonly [number, number][]): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The raster's outline in pixel/line coordinates, clockwise from the top-left corner. */
function edgePixels(width: number, height: number): [number, number][] {
  const ring: [number, number][] = [];
  for (let i = 0; i < EDGE_SEGMENTS; i++) ring.push([(width * i) / EDGE_SEGMENTS, 0]);
  for (let i = 0; i < EDGE_SEGMENTS; i++) ring.push([width, (height * i) / EDGE_SEGMENTS]);
  for (let i = 0; i < EDGE_SEGMENTS; i++) ring.push([width - (width * i) / EDGE_SEGMENTS, height]);
  for (let i = 0; i < EDGE_SEGMENTS; i++) ring.push([0, height - (height * i) / EDGE_SEGMENTS]);
  return ring;
}

function applyGeoTransform(gt: GeoTransform, [px, py]: [number, number]): [number, number] {
  return [gt[0] + px * gt[1] + py * gt[2], gt[3] + px * gt[4] + py * gt[5]];
}

/** The bounding box in the raster's own CRS, from its four corners. */
export function nativeBbox(geoTransform: GeoTransform, width: number, height: number): Box {
  const corners: [number, number][] = [[0, 0], [width, 0], [width, height], [0, height]];
  return boxOf(corners.map((c) => applyGeoTransform(geoTransform, c)));
}

/** `path` must be georeferenced with a CRS (the COG is); gdaltransform maps its pixel/line to WGS84. */
export async function wgs84Outline(path: string, width: number, height: number, signal: AbortSignal): Promise<Wgs84Outline> {
  const pixels = edgePixels(width, height);
  const { stdout } = await runGdal('gdaltransform', ['-t_srs', 'EPSG:4326', '-output_xy', path], {
    signal,
    stdin: `${pixels.map(([x, y]) => `${x} ${y}`).join('\n')}\n`,
  });
  const lonLat = stdout.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
    .filter(([lon, lat]) => Number.isFinite(lon) && Number.isFinite(lat));
  if (lonLat.length < 3) throw new MeridianError('GDAL_FAILED', `gdaltransform could not map the outline of ${path} to WGS84`, { tool: 'gdaltransform' });
  return { bbox: boxOf(lonLat), polygon: [...lonLat, lonLat[0]!] };
}
