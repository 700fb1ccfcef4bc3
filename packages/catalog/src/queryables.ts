/** The queryables of a collection as the JSON Schema OGC API Features Part 3 asks for. */
import { GEOMETRY_PROPERTY, queryableColumns } from './collection-properties.ts';
import type { VectorCollection } from './vector-catalog.ts';

const GEOMETRY_FORMATS: Record<string, string> = {
  Point: 'geometry-point',
  MultiPoint: 'geometry-multipoint',
  LineString: 'geometry-linestring',
  MultiLineString: 'geometry-multilinestring',
  Polygon: 'geometry-polygon',
  MultiPolygon: 'geometry-multipolygon',
  Geometry: 'geometry-any',
};

export function queryablesSchema(collection: VectorCollection, selfUrl: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    [GEOMETRY_PROPERTY]: { title: 'Geometry', format: GEOMETRY_FORMATS[collection.geometryType], 'x-ogc-role': 'primary-geometry' },
  };
  for (const column of queryableColumns(collection)) {
    properties[column.name] = {
      title: column.originalName,
      ...column.spec.schema,
      ...(column.name === collection.temporalProperty ? { 'x-ogc-role': 'primary-instant' } : {}),
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: selfUrl,
    type: 'object',
    title: collection.title,
    properties,
    additionalProperties: false,
  };
}
