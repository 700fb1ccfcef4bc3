/**
 * Conformance classes basic-spatial-functions (S_INTERSECTS with POINT and BBOX), basic-spatial-functions-plus
 * (every other geometry type) and spatial-functions (the other seven predicates).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCql2Text } from '../../src/index.ts';
import { equivalent, prop } from './assertions.ts';

const footprint = { property: 'footprint' };

describe('cql2 basic-spatial-functions', () => {
  equivalent('S_INTERSECTS with a POINT', 'S_INTERSECTS(footprint, POINT(13.4 52.5))', {
    op: 's_intersects',
    args: [footprint, { type: 'Point', coordinates: [13.4, 52.5] }],
  }, { op: 's_intersects', args: [prop('footprint'), { geometry: { type: 'Point', coordinates: [13.4, 52.5] } }] });
  equivalent('S_INTERSECTS with a 2D BBOX', 'S_INTERSECTS(footprint, BBOX(5.9, 47.3, 15.0, 55.1))', {
    op: 's_intersects',
    args: [footprint, { bbox: [5.9, 47.3, 15.0, 55.1] }],
  }, { op: 's_intersects', args: [prop('footprint'), { bbox: [5.9, 47.3, 15, 55.1] }] });
  equivalent('a 3D BBOX', 'S_INTERSECTS(footprint, BBOX(-10, -20, -500, 10, 20, 8000))', {
    op: 's_intersects',
    args: [footprint, { bbox: [-10, -20, -500, 10, 20, 8000] }],
  });
  equivalent('a BBOX crossing the antimeridian', 'S_INTERSECTS(footprint, BBOX(170, -10, -170, 10))', {
    op: 's_intersects',
    args: [footprint, { bbox: [170, -10, -170, 10] }],
  });
  equivalent('ENVELOPE is the draft spelling of BBOX', 'S_INTERSECTS(footprint, ENVELOPE(1, 2, 3, 4))', {
    op: 's_intersects',
    args: [footprint, { bbox: [1, 2, 3, 4] }],
  });
  equivalent('lower-case function and tag', 's_intersects(footprint, point(1 2))', {
    op: 's_intersects',
    args: [footprint, { type: 'Point', coordinates: [1, 2] }],
  });
  equivalent('the literal first', 'S_INTERSECTS(POINT(1 2), footprint)', {
    op: 's_intersects',
    args: [{ type: 'Point', coordinates: [1, 2] }, footprint],
  });
});

describe('cql2 basic-spatial-functions-plus: WKT ⇔ GeoJSON', () => {
  const ring = [[0, 0], [4, 0], [4, 3], [0, 0]];
  const hole = [[1, 1], [2, 1], [2, 2], [1, 1]];
  const cases: [string, string, Record<string, unknown>][] = [
    ['POINT Z', 'POINT Z (1 2 3)', { type: 'Point', coordinates: [1, 2, 3] }],
    ['POINT with 3 numbers and no Z', 'POINT (1 2 3)', { type: 'Point', coordinates: [1, 2, 3] }],
    ['LINESTRING', 'LINESTRING(0 0, 1.5 -2, 3 3)', { type: 'LineString', coordinates: [[0, 0], [1.5, -2], [3, 3]] }],
    ['POLYGON with a hole', 'POLYGON((0 0, 4 0, 4 3, 0 0), (1 1, 2 1, 2 2, 1 1))', { type: 'Polygon', coordinates: [ring, hole] }],
    ['MULTIPOINT, OGC form', 'MULTIPOINT((1 2), (3 4))', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['MULTIPOINT, short form', 'MULTIPOINT(1 2, 3 4)', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['MULTILINESTRING', 'MULTILINESTRING((0 0, 1 1), (2 2, 3 3, 4 4))', { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 4]]] }],
    ['MULTIPOLYGON', 'MULTIPOLYGON(((0 0, 4 0, 4 3, 0 0)), ((1 1, 2 1, 2 2, 1 1)))', { type: 'MultiPolygon', coordinates: [[ring], [hole]] }],
    [
      'GEOMETRYCOLLECTION',
      'GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1), POLYGON((0 0, 4 0, 4 3, 0 0)))',
      {
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: [1, 2] },
          { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
          { type: 'Polygon', coordinates: [ring] },
        ],
      },
    ],
    ['GEOMETRYCOLLECTION Z', 'GEOMETRYCOLLECTION Z (POINT(1 2 3))', { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2, 3] }] }],
    ['MULTIPOLYGON Z, spaced out', 'MULTIPOLYGON Z ( ( ( 0 0 1 , 4 0 1 , 4 3 1 , 0 0 1 ) ) )', {
      type: 'MultiPolygon',
      coordinates: [[[[0, 0, 1], [4, 0, 1], [4, 3, 1], [0, 0, 1]]]],
    }],
  ];
  for (const [title, wkt, geojson] of cases) {
    equivalent(title, `S_INTERSECTS(footprint, ${wkt})`, { op: 's_intersects', args: [footprint, geojson] });
  }
  equivalent('a GeoJSON bbox member is dropped (WKT cannot carry it)', 'S_INTERSECTS(footprint, POINT(1 2))', {
    op: 's_intersects',
    args: [footprint, { type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2] }],
  });
  it('reads exponents and signs in coordinates', () => {
    assert.deepEqual(parseCql2Text('S_INTERSECTS(g, POINT(-1.5e1 +2))'), {
      op: 's_intersects',
      args: [prop('g'), { geometry: { type: 'Point', coordinates: [-15, 2] } }],
    });
  });
});

describe('cql2 spatial-functions', () => {
  const line = 'LINESTRING(0 0, 10 10)';
  const lineJson = { type: 'LineString', coordinates: [[0, 0], [10, 10]] };
  for (const op of ['s_contains', 's_crosses', 's_disjoint', 's_equals', 's_intersects', 's_overlaps', 's_touches', 's_within']) {
    equivalent(`${op.toUpperCase()}`, `${op.toUpperCase()}(footprint, ${line})`, { op, args: [footprint, lineJson] });
  }
  equivalent('two properties', 'S_WITHIN(site, district)', { op: 's_within', args: [{ property: 'site' }, { property: 'district' }] });
  equivalent('a function producing a geometry', "S_DISJOINT(footprint, buffer(channel, 25, 'm'))", {
    op: 's_disjoint',
    args: [footprint, { op: 'buffer', args: [{ property: 'channel' }, 25, 'm'] }],
  });
  equivalent('combined with a comparison', 'kind = 1 AND NOT S_TOUCHES(footprint, BBOX(0, 0, 1, 1))', {
    op: 'and',
    args: [
      { op: '=', args: [{ property: 'kind' }, 1] },
      { op: 'not', args: [{ op: 's_touches', args: [footprint, { bbox: [0, 0, 1, 1] }] }] },
    ],
  });
});
