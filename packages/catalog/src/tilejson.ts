/** TileJSON 3.0.0 for a collection's vector tiles. */
import { MAX_ZOOM, MIN_ZOOM, WORLD_BOUNDS } from './tile-matrix.ts';
import type { VectorCollection } from './vector-catalog.ts';

const FIELD_TYPES: Record<string, string> = { integer: 'Number', number: 'Number', boolean: 'Boolean' };

export function tileJson(collection: VectorCollection, tilesUrlTemplate: string): Record<string, unknown> {
  const fields: Record<string, string> = {};
  if (!collection.integerIds) fields[collection.idColumn] = 'String';
  for (const column of collection.columns) fields[column.name] = FIELD_TYPES[column.spec.type?.kind ?? ''] ?? 'String';
  const bounds = collection.bbox ?? WORLD_BOUNDS;
  return {
    tilejson: '3.0.0',
    name: collection.title,
    description: collection.description,
    scheme: 'xyz',
    tiles: [tilesUrlTemplate],
    minzoom: MIN_ZOOM,
    maxzoom: MAX_ZOOM,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, MIN_ZOOM],
    vector_layers: [{ id: collection.id, description: collection.description, minzoom: MIN_ZOOM, maxzoom: MAX_ZOOM, fields }],
  };
}
