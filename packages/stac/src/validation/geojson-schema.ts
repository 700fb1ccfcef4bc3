/**
 * JSON Schema (draft-07) definitions of GeoJSON geometries (RFC 7946), written for Meridian's STAC
 * validation. Used as `definitions` of the item and collection schemas, so `#/definitions/geometry` works
 * inside each of them.
 */

const position = { type: 'array', minItems: 2, items: { type: 'number' } };
const positions = { type: 'array', items: position };
const ring = { type: 'array', minItems: 4, items: position };
const bbox = { type: 'array', minItems: 4, items: { type: 'number' } };

function geometry(type: string, coordinates: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['type', 'coordinates'],
    properties: { type: { const: type }, coordinates, bbox },
  };
}

export const GEOJSON_DEFINITIONS = {
  bbox: { type: 'array', items: { type: 'number' }, oneOf: [{ minItems: 4, maxItems: 4 }, { minItems: 6, maxItems: 6 }] },
  point: geometry('Point', position),
  multiPoint: geometry('MultiPoint', positions),
  lineString: geometry('LineString', { type: 'array', minItems: 2, items: position }),
  multiLineString: geometry('MultiLineString', { type: 'array', items: { type: 'array', minItems: 2, items: position } }),
  polygon: geometry('Polygon', { type: 'array', items: ring }),
  multiPolygon: geometry('MultiPolygon', { type: 'array', items: { type: 'array', items: ring } }),
  geometryCollection: {
    type: 'object',
    required: ['type', 'geometries'],
    properties: { type: { const: 'GeometryCollection' }, geometries: { type: 'array', items: { $ref: '#/definitions/geometry' } }, bbox },
  },
  geometry: {
    oneOf: [
      { $ref: '#/definitions/point' },
      { $ref: '#/definitions/multiPoint' },
      { $ref: '#/definitions/lineString' },
      { $ref: '#/definitions/multiLineString' },
      { $ref: '#/definitions/polygon' },
      { $ref: '#/definitions/multiPolygon' },
      { $ref: '#/definitions/geometryCollection' },
    ],
  },
} as const;
