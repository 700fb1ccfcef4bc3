/** Spatial predicates and geometry literals; every geometry reaching PostGIS is in storage coordinates. */
import type { Cql2 } from '@meridian/core';
import { bboxSql } from '../bbox-sql.ts';
import { DEFAULT_CRS, toStorageSql, type CrsDefinition } from '../crs.ts';
import type { SqlParams } from '../sql-params.ts';
import { cql2Error } from './errors.ts';
import { describeType, type Typed } from './types.ts';

const FUNCTIONS: Record<Cql2.SpatialOperator, string> = {
  s_contains: 'ST_Contains',
  s_crosses: 'ST_Crosses',
  s_disjoint: 'ST_Disjoint',
  s_equals: 'ST_Equals',
  s_intersects: 'ST_Intersects',
  s_overlaps: 'ST_Overlaps',
  s_touches: 'ST_Touches',
  s_within: 'ST_Within',
};

export function geometryLiteral(geometry: Cql2.Geometry, params: SqlParams, crs: CrsDefinition = DEFAULT_CRS): Typed {
  return { sql: toStorageSql(`ST_GeomFromGeoJSON(${params.add(JSON.stringify(geometry))}::text)`, crs), type: { kind: 'geometry' } };
}

export function bboxLiteral(bbox: Cql2.Bbox, params: SqlParams, crs: CrsDefinition = DEFAULT_CRS): Typed {
  return { sql: bboxSql(bbox, crs, params), type: { kind: 'geometry' } };
}

export function spatialPredicate(op: Cql2.SpatialOperator, left: Typed, right: Typed): string {
  for (const side of [left, right]) {
    if (side.type.kind !== 'geometry') throw cql2Error(`'${op}' needs geometries, but got ${describeType(side.type)}`);
  }
  return `${FUNCTIONS[op]}(${left.sql}, ${right.sql})`;
}
