/**
 * Reads the WKT geometry literals of CQL2 text (and BBOX) into GeoJSON, so a text filter and its JSON twin give
 * the same AST. As CQL2 asks, the coordinate dimension comes from the coordinates: `POINT(1 2 3)` is 3D
 * without "Z"; a "Z" makes the third coordinate mandatory. EMPTY geometries are rejected: they match nothing
 * and PostGIS treats them inconsistently across predicates.
 */
import type { BboxLiteral, GeometryLiteral } from './ast.ts';
import { textError } from './cql2-errors.ts';
import { bboxProblem, geometryProblem, type Bbox, type Geometry, type Position, type SimpleGeometry } from './geometry.ts';
import { canonicalNumber } from './literals.ts';
import type { TokenStream } from './token-stream.ts';

/** Reads a geometry or BBOX/ENVELOPE literal; the stream is at its tag. */
export function readSpatialLiteral(tokens: TokenStream): GeometryLiteral | BboxLiteral {
  const tag = tokens.peek();
  if (tokens.acceptKeyword('BBOX') || tokens.acceptKeyword('ENVELOPE')) {
    const values = readList(tokens, readSignedNumber);
    const problem = bboxProblem(values);
    if (problem !== undefined) throw textError(problem, tag.start);
    return { bbox: values as Bbox };
  }
  return { geometry: readGeometry(tokens, { inCollection: false, z: false }) };
}

interface Context {
  inCollection: boolean;
  /** "Z" was declared here or on the enclosing collection. */
  z: boolean;
}

function readGeometry(tokens: TokenStream, context: Context): Geometry {
  const tag = tokens.next();
  const name = tag.kind === 'identifier' ? tag.name.toUpperCase() : '';
  const z = tokens.acceptKeyword('Z') || context.z;
  if (tokens.isKeyword('EMPTY')) throw textError('EMPTY geometries are not supported', tokens.peek().start);
  const inner = { inCollection: context.inCollection, z };
  let geometry: Geometry;
  switch (name) {
    case 'POINT':
      geometry = { type: 'Point', coordinates: readPointText(tokens, inner) };
      break;
    case 'LINESTRING':
      geometry = { type: 'LineString', coordinates: readPositions(tokens, inner) };
      break;
    case 'POLYGON':
      geometry = { type: 'Polygon', coordinates: readList(tokens, (t) => readPositions(t, inner)) };
      break;
    case 'MULTIPOINT':
      // Both `MULTIPOINT ((1 2), (3 4))` (OGC WKT) and `MULTIPOINT (1 2, 3 4)` (widespread) are accepted.
      geometry = { type: 'MultiPoint', coordinates: readList(tokens, (t) => (t.isSymbol('(') ? readPointText(t, inner) : readPosition(t, inner))) };
      break;
    case 'MULTILINESTRING':
      geometry = { type: 'MultiLineString', coordinates: readList(tokens, (t) => readPositions(t, inner)) };
      break;
    case 'MULTIPOLYGON':
      geometry = { type: 'MultiPolygon', coordinates: readList(tokens, (t) => readList(t, (u) => readPositions(u, inner))) };
      break;
    case 'GEOMETRYCOLLECTION':
      if (context.inCollection) throw textError('a GEOMETRYCOLLECTION cannot contain another GEOMETRYCOLLECTION', tag.start);
      geometry = {
        type: 'GeometryCollection',
        geometries: readList(tokens, (t) => readGeometry(t, { inCollection: true, z }) as SimpleGeometry),
      };
      break;
    default:
      tokens.fail('a WKT geometry (POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON)', tag);
  }
  const problem = geometryProblem(geometry);
  if (problem !== undefined) throw textError(problem, tag.start);
  return geometry;
}

/** "(" item {"," item} ")" */
function readList<T>(tokens: TokenStream, readItem: (tokens: TokenStream) => T): T[] {
  tokens.expectSymbol('(');
  const items = [readItem(tokens)];
  while (!tokens.acceptSymbol(')')) {
    if (!tokens.acceptSymbol(',')) tokens.fail("',' or ')'");
    items.push(readItem(tokens));
  }
  return items;
}

function readPointText(tokens: TokenStream, context: Context): Position {
  tokens.expectSymbol('(');
  const position = readPosition(tokens, context);
  if (!tokens.acceptSymbol(')')) tokens.fail("')' after the coordinates of a point (2 or 3 numbers)");
  return position;
}

function readPositions(tokens: TokenStream, context: Context): Position[] {
  return readList(tokens, (t) => readPosition(t, context));
}

function readPosition(tokens: TokenStream, context: Context): Position {
  const x = readSignedNumber(tokens);
  const y = readSignedNumber(tokens);
  if (startsNumber(tokens)) return [x, y, readSignedNumber(tokens)];
  if (context.z) tokens.fail('a third coordinate (the geometry is declared Z)');
  return [x, y];
}

function startsNumber(tokens: TokenStream): boolean {
  const signed = tokens.isSymbol('-') || tokens.isSymbol('+');
  return tokens.peek(signed ? 1 : 0).kind === 'number';
}

function readSignedNumber(tokens: TokenStream): number {
  const negative = tokens.acceptSymbol('-');
  if (!negative) tokens.acceptSymbol('+');
  const token = tokens.peek();
  if (token.kind !== 'number') tokens.fail('a number');
  tokens.next();
  return canonicalNumber(negative ? -token.value : token.value);
}
