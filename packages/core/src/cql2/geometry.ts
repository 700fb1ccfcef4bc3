/**
 * GeoJSON geometries (RFC 7946) as the CQL2 AST carries them, whichever encoding they came from, and the
 * checks both the WKT and the GeoJSON reader apply so that every literal reaching the database is well formed.
 */
export type Position = [number, number] | [number, number, number];

export interface Point { type: 'Point'; coordinates: Position }
export interface LineString { type: 'LineString'; coordinates: Position[] }
export interface Polygon { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPoint { type: 'MultiPoint'; coordinates: Position[] }
export interface MultiLineString { type: 'MultiLineString'; coordinates: Position[][] }
export interface MultiPolygon { type: 'MultiPolygon'; coordinates: Position[][][] }
export type SimpleGeometry = Point | LineString | Polygon | MultiPoint | MultiLineString | MultiPolygon;
/** CQL2 does not allow a collection inside a collection. */
export interface GeometryCollection { type: 'GeometryCollection'; geometries: SimpleGeometry[] }
export type Geometry = SimpleGeometry | GeometryCollection;

/** [west, south, east, north] or [west, south, minZ, east, north, maxZ], as in GeoJSON and the BBOX() literal. */
export type Bbox = [number, number, number, number] | [number, number, number, number, number, number];

/** Returns why the geometry is unusable, or undefined when it is fine. */
export function geometryProblem(geometry: Geometry): string | undefined {
  const members = geometry.type === 'GeometryCollection' ? geometry.geometries : [geometry];
  if (members.length === 0) return 'empty geometries are not supported';
  const dimensions = new Set<number>();
  for (const member of members) {
    const problem = simpleGeometryProblem(member);
    if (problem !== undefined) return problem;
    for (const position of positionsOf(member)) dimensions.add(position.length);
  }
  if (dimensions.size > 1) return 'all coordinates of a geometry must have the same number of dimensions (2 or 3)';
  return undefined;
}

function simpleGeometryProblem(geometry: SimpleGeometry): string | undefined {
  switch (geometry.type) {
    case 'Point':
      return undefined;
    case 'LineString':
      return lineProblem(geometry.coordinates);
    case 'Polygon':
      return polygonProblem(geometry.coordinates);
    case 'MultiPoint':
      return geometry.coordinates.length === 0 ? 'empty geometries are not supported' : undefined;
    case 'MultiLineString':
      if (geometry.coordinates.length === 0) return 'empty geometries are not supported';
      return firstProblem(geometry.coordinates, lineProblem);
    case 'MultiPolygon':
      if (geometry.coordinates.length === 0) return 'empty geometries are not supported';
      return firstProblem(geometry.coordinates, polygonProblem);
  }
}

function lineProblem(line: Position[]): string | undefined {
  return line.length < 2 ? 'a line string needs at least 2 positions' : undefined;
}

function polygonProblem(rings: Position[][]): string | undefined {
  if (rings.length === 0) return 'empty geometries are not supported';
  return firstProblem(rings, (ring) => {
    if (ring.length < 4) return 'a polygon ring needs at least 4 positions';
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    const closed = first.length === last.length && first.every((value, i) => value === last[i]);
    return closed ? undefined : 'a polygon ring must end at the position it starts from';
  });
}

function firstProblem<T>(items: readonly T[], check: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const problem = check(item);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function positionsOf(geometry: SimpleGeometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
  }
}

/** Returns why the box is unusable, or undefined. West may exceed east: that box crosses the antimeridian. */
export function bboxProblem(bbox: readonly number[]): string | undefined {
  if (bbox.length !== 4 && bbox.length !== 6) return `a bbox has 4 or 6 numbers, not ${bbox.length}`;
  const half = bbox.length / 2;
  if (bbox[1]! > bbox[half + 1]!) return 'the south edge of a bbox must not be north of its north edge';
  if (half === 3 && bbox[2]! > bbox[5]!) return 'the minimum elevation of a bbox must not exceed its maximum';
  return undefined;
}
