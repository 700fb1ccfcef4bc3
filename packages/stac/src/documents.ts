/**
 * Turning a STAC document a caller wrote into what the catalog stores: checked (identifier rules, STAC
 * schema, geometry rings, time order), completed where STAC lets a server do it (the item's `collection`
 * from the URI, a missing `bbox` computed from the geometry), and stripped of the links the API generates.
 */
import { MeridianError } from '@meridian/core';
import { validateStac } from './validation/validator.ts';
import type { JsonObject, StacCollection, StacItem } from './types.ts';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Links the API writes itself on every response; stored copies would go stale. */
const GENERATED_RELS: ReadonlySet<string> = new Set(['self', 'root', 'parent', 'collection', 'items', 'queryables', 'aggregate', 'aggregations']);

export function checkIdentifier(id: unknown, what: string): string {
  if (typeof id !== 'string' || !IDENTIFIER.test(id)) {
    const shown = typeof id === 'string' ? `"${id.slice(0, 100)}"` : 'missing';
    throw new MeridianError('INVALID_IDENTIFIER', `${what} id ${shown}: use 1 to 255 letters, digits, ".", "_" and "-", starting with a letter or digit`, { field: 'id' });
  }
  return id;
}

function storedLinks(links: unknown): unknown[] {
  if (!Array.isArray(links)) return [];
  return links.filter((link) => !(link && typeof link === 'object' && GENERATED_RELS.has(String((link as JsonObject).rel))));
}

type Position = number[];

const POSITION_DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** Calls `visit` for every position of a (schema-valid) GeoJSON geometry, without copying them. */
function eachPosition(geometry: JsonObject, visit: (position: Position) => void): void {
  if (geometry.type === 'GeometryCollection') {
    for (const member of geometry.geometries as JsonObject[]) eachPosition(member, visit);
    return;
  }
  const walk = (value: unknown, depth: number): void => {
    if (depth === 0) visit(value as Position);
    else for (const child of value as unknown[]) walk(child, depth - 1);
  };
  walk(geometry.coordinates, POSITION_DEPTH[geometry.type as string] ?? 0);
}

/** Polygon rings must be closed (PostGIS refuses open ones); a 400 here rather than a database error. */
function checkRings(geometry: JsonObject): void {
  if (geometry.type === 'GeometryCollection') {
    for (const member of geometry.geometries as JsonObject[]) checkRings(member);
    return;
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates as Position[][]] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as Position[][][]) : [];
  for (const ring of polygons.flat()) {
    const [first, last] = [ring[0]!, ring[ring.length - 1]!];
    if (first.length !== last.length || first.some((value, i) => value !== last[i])) {
      throw new MeridianError('STAC_INVALID', 'geometry: every polygon ring must end where it starts (a closed linear ring)', { path: '/geometry' });
    }
  }
}

function bboxOf(geometry: JsonObject): number[] {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  eachPosition(geometry, ([x, y]) => {
    box[0] = Math.min(box[0]!, x!);
    box[1] = Math.min(box[1]!, y!);
    box[2] = Math.max(box[2]!, x!);
    box[3] = Math.max(box[3]!, y!);
  });
  return box;
}

export interface ItemRow {
  collection: string;
  id: string;
  /** ISO instants: the sort instant and the span. */
  datetime: string;
  startDatetime: string;
  endDatetime: string;
  content: StacItem;
}

function instant(value: unknown): number | undefined {
  return typeof value === 'string' ? Date.parse(value) : undefined;
}

/** Checks and completes an item for `collectionId`; throws a 400-class MeridianError when it is not valid. */
export function itemRow(input: unknown, collectionId: string): ItemRow {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new MeridianError('STAC_INVALID', 'an item must be a JSON object (a GeoJSON Feature)');
  const source = input as JsonObject;
  const id = checkIdentifier(source.id, 'item');
  if (source.collection !== undefined && source.collection !== collectionId) {
    throw new MeridianError('VALIDATION_ERROR', `item "${id}" names collection "${String(source.collection).slice(0, 100)}" but is written to "${collectionId}"`, { field: 'collection' });
  }
  const item: JsonObject = { ...source, collection: collectionId, links: storedLinks(source.links) };
  const geometry = item.geometry;
  // A missing bbox is computed, but only from a geometry the schema has accepted.
  const computeBbox = geometry !== null && typeof geometry === 'object' && item.bbox === undefined;
  if (computeBbox) item.bbox = [0, 0, 0, 0];
  validateStac('item', item);
  if (geometry) checkRings(geometry as JsonObject);
  if (computeBbox) item.bbox = bboxOf(geometry as JsonObject);
  const properties = item.properties as JsonObject;
  const datetime = instant(properties.datetime);
  const start = instant(properties.start_datetime) ?? datetime!;
  const end = instant(properties.end_datetime) ?? datetime!;
  if (end < start) throw new MeridianError('STAC_INVALID', `item "${id}": end_datetime is before start_datetime`, { path: '/properties/end_datetime' });
  return {
    collection: collectionId,
    id,
    datetime: new Date(datetime ?? start).toISOString(),
    startDatetime: new Date(start).toISOString(),
    endDatetime: new Date(end).toISOString(),
    content: item as StacItem,
  };
}

/** Checks a collection document and strips its generated links; `id` is the id from the URI, if any. */
export function collectionDocument(input: unknown, id?: string): StacCollection {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new MeridianError('STAC_INVALID', 'a collection must be a JSON object');
  const source = input as JsonObject;
  const collectionId = checkIdentifier(source.id ?? id, 'collection');
  if (id !== undefined && collectionId !== id) {
    throw new MeridianError('VALIDATION_ERROR', `the body's id "${collectionId}" differs from the id in the URI "${id}"`, { field: 'id' });
  }
  const collection: JsonObject = { ...source, id: collectionId, links: storedLinks(source.links) };
  validateStac('collection', collection);
  return collection as StacCollection;
}
