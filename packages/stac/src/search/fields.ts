/**
 * The fields extension: which parts of each item a search returns. Paths are dotted (`properties.datetime`);
 * the include/exclude rules follow the extension's table (the most specific path wins, include beats
 * exclude, an empty include means the default set that keeps items valid). `id` and `collection` are always
 * kept so every returned item can still be identified.
 */
import type { JsonObject } from '../types.ts';
import type { FieldsSpec } from './request.ts';

const DEFAULT_FIELDS = ['type', 'stac_version', 'stac_extensions', 'id', 'collection', 'geometry', 'bbox', 'links', 'assets', 'properties.datetime'];
const ALWAYS = ['id', 'collection'];

function defaultFields(item: JsonObject): string[] {
  const properties = item.properties as JsonObject | undefined;
  return properties?.datetime === null ? [...DEFAULT_FIELDS, 'properties.start_datetime', 'properties.end_datetime'] : DEFAULT_FIELDS;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Copies the value at `path` from `source` into `target`, creating the objects on the way. */
function copyPath(source: JsonObject, target: JsonObject, path: string[]): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in source)) return;
  const value = source[head];
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (!isObject(value)) return;
  const child = isObject(target[head]) ? (target[head] as JsonObject) : {};
  target[head] = child;
  copyPath(value, child, rest);
}

function removePath(target: JsonObject, path: string[]): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    delete target[head];
    return;
  }
  const child = target[head];
  if (!isObject(child)) return;
  const copy = { ...child };
  target[head] = copy;
  removePath(copy, rest);
}

export function applyFields(item: JsonObject, spec: FieldsSpec): JsonObject {
  const explicit = spec.include ?? [];
  let result: JsonObject;
  if (spec.include === undefined) {
    result = { ...item };
  } else {
    result = {};
    for (const path of [...(spec.include ?? defaultFields(item)), ...ALWAYS]) copyPath(item, result, path.split('.'));
  }
  for (const path of spec.exclude) {
    // A path the caller also included, or one of whose children the caller included, stays.
    if (explicit.some((included) => included === path || included.startsWith(`${path}.`))) continue;
    removePath(result, path.split('.'));
  }
  return result;
}
