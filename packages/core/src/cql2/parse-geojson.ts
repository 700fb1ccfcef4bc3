/**
 * GeoJSON geometry objects inside a CQL2 JSON filter → checked Geometry. Only `type`, `coordinates` (or
 * `geometries`) and `bbox` are allowed: `bbox` is informational in GeoJSON and is dropped (WKT has no
 * equivalent, and the AST must not depend on the encoding); anything else, notably a legacy `crs`, is refused
 * rather than silently ignored.
 */
import { excerpt, jsonError } from './cql2-errors.ts';
import { geometryProblem, type Geometry, type Position, type SimpleGeometry } from './geometry.ts';
import type { JsonValueBudget } from './limits.ts';
import { canonicalNumber } from './literals.ts';

/** How many array levels wrap the positions of each simple type. */
const COORDINATE_LEVELS = {
  Point: 0,
  LineString: 1,
  MultiPoint: 1,
  Polygon: 2,
  MultiLineString: 2,
  MultiPolygon: 3,
} as const satisfies Record<SimpleGeometry['type'], number>;

type SimpleType = keyof typeof COORDINATE_LEVELS;

export function geometryFromJson(value: Record<string, unknown>, path: string, budget: JsonValueBudget): Geometry {
  const geometry = readGeometry(value, path, budget, false);
  const problem = geometryProblem(geometry);
  if (problem !== undefined) throw jsonError(problem, path);
  return geometry;
}

function readGeometry(value: Record<string, unknown>, path: string, budget: JsonValueBudget, inCollection: boolean): Geometry {
  const type = value.type;
  if (type === 'GeometryCollection' && !inCollection) {
    onlyMembers(value, 'geometries', path);
    const members = value.geometries;
    if (!Array.isArray(members)) throw jsonError('"geometries" must be an array of GeoJSON geometries', `${path}/geometries`);
    budget.spend(members.length, path);
    const geometries = members.map((member, i) => {
      const memberPath = `${path}/geometries/${i}`;
      if (!isRecord(member)) throw jsonError('expected a GeoJSON geometry object', memberPath);
      return readGeometry(member, memberPath, budget, true) as SimpleGeometry;
    });
    return { type: 'GeometryCollection', geometries };
  }
  if (typeof type !== 'string' || !Object.hasOwn(COORDINATE_LEVELS, type)) {
    const allowed = Object.keys(COORDINATE_LEVELS).join(', ') + (inCollection ? '' : ', GeometryCollection');
    throw jsonError(`unsupported GeoJSON geometry type ${typeof type === 'string' ? `'${excerpt(type)}'` : '(missing or not a string)'} (expected ${allowed})`, `${path}/type`);
  }
  onlyMembers(value, 'coordinates', path);
  const simpleType = type as SimpleType;
  const coordinates = readCoordinates(value.coordinates, COORDINATE_LEVELS[simpleType], `${path}/coordinates`, budget);
  return { type: simpleType, coordinates } as SimpleGeometry;
}

function onlyMembers(value: Record<string, unknown>, contents: 'coordinates' | 'geometries', path: string): void {
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== contents && key !== 'bbox') {
      throw jsonError(`unexpected member '${excerpt(key)}' in a GeoJSON geometry (allowed: type, ${contents}, bbox)`, path);
    }
  }
}

function readCoordinates(value: unknown, levels: number, path: string, budget: JsonValueBudget): Position | unknown[] {
  if (levels === 0) return readPosition(value, path, budget);
  if (!Array.isArray(value)) throw jsonError(`expected an array nested ${levels + 1} levels deep with positions at the bottom`, path);
  budget.spend(1, path);
  return value.map((item, i) => readCoordinates(item, levels - 1, `${path}/${i}`, budget));
}

function readPosition(value: unknown, path: string, budget: JsonValueBudget): Position {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) throw jsonError('a position is an array of 2 or 3 numbers', path);
  budget.spend(value.length + 1, path);
  return value.map((n, i) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw jsonError('a coordinate must be a finite number', `${path}/${i}`);
    return canonicalNumber(n);
  }) as Position;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
