/** cql2-json input that must be rejected with CQL2_INVALID and a JSON Pointer to the problem. */
import { describe, it } from 'node:test';
import { assertJsonInvalid } from './assertions.ts';

const a = { property: 'a' };

describe('cql2 json errors: operators', () => {
  it('an unknown function when a list is given', () =>
    assertJsonInvalid({ op: 'and', args: [true, { op: 'frobnicate', args: [a] }] }, /unknown function 'frobnicate'/, '/args/1/op', {
      functions: new Set(['area']),
    }));
  it('an operator in the wrong case', () => assertJsonInvalid({ op: 'AND', args: [true, true] }, /unknown operator 'AND'; did you mean 'and'\?/, '/op'));
  it('a camel-case operator in lower case', () =>
    assertJsonInvalid({ op: 't_finishedby', args: [a, a] }, /did you mean 't_finishedBy'/, '/op'));
  it("'!='", () => assertJsonInvalid({ op: '!=', args: [a, 1] }, /did you mean '<>'/, '/op'));
  it("an operator that is not a name ('==')", () => assertJsonInvalid({ op: '==', args: [a, 1] }, /unknown operator '=='/, '/op'));
  it('a text keyword as an operator', () => assertJsonInvalid({ op: 'date', args: ['2020-01-01'] }, /'date' is a reserved CQL2 word/, '/op'));
  it('an op that is not a string', () => assertJsonInvalid({ op: 5, args: [] }, /"op" must be a string/, '/op'));
  it('missing args', () => assertJsonInvalid({ op: '=' }, /"args" of '=' must be an array/, '/args'));
  it('args that are not an array', () => assertJsonInvalid({ op: 'not', args: true }, /must be an array/, '/args'));
  it('an extra member', () => assertJsonInvalid({ op: '=', args: [a, 1], note: 'x' }, /unexpected member 'note'/, '/note'));
  it('too few arguments', () => assertJsonInvalid({ op: '=', args: [a] }, /'=' takes 2 arguments, found 1/, '/args'));
  it('too many arguments', () => assertJsonInvalid({ op: 'between', args: [a, 1, 2, 3] }, /'between' takes 3 arguments, found 4/, '/args'));
  it('AND with one argument', () => assertJsonInvalid({ op: 'and', args: [true] }, /at least 2 arguments/, '/args'));
  it('NOT on a property', () => assertJsonInvalid({ op: 'not', args: [a] }, /expected a boolean expression .* found the property 'a'/, '/args/0'));
  it('a unary minus (not in CQL2 JSON)', () => assertJsonInvalid({ op: '-', args: [a] }, /'-' takes 2 arguments/, '/args'));
});

describe('cql2 json errors: values', () => {
  it('null', () => assertJsonInvalid({ op: '=', args: [a, null] }, /null is not a CQL2 expression/, '/args/1'));
  it('a non-finite number (already-parsed input)', () => assertJsonInvalid({ op: '=', args: [a, Infinity] }, /finite/, '/args/1'));
  it('a bare string filter', () => assertJsonInvalid('"a = 1"', /expected a boolean expression .* found a string/, ''));
  it('a bare number filter', () => assertJsonInvalid(5, /expected a boolean expression/, ''));
  it('undefined', () => assertJsonInvalid(undefined, /^undefined is not a CQL2 expression at the top level$/, ''));
  it('invalid JSON text', () => assertJsonInvalid('{"op": "=", "args": [', /the filter is not valid JSON/));
  it('an empty property name', () => assertJsonInvalid({ op: '=', args: [{ property: '' }, 1] }, /non-empty string/, '/args/0/property'));
  it('an unknown object', () => assertJsonInvalid({ op: '=', args: [{ column: 'a' }, 1] }, /not a CQL2 expression: found 'column'/, '/args/0'));
  it('a property with an extra member', () => assertJsonInvalid({ op: '=', args: [{ property: 'a', type: 'x' }, 1] }, /unexpected member 'type'/, '/args/0/type'));
  it('__proto__ from JSON text', () =>
    assertJsonInvalid('{"op": "=", "args": [{"property": "a"}, 1], "__proto__": {"x": 1}}', /unexpected member '__proto__'/, '/__proto__'));
  it('a LIKE pattern that is a property', () =>
    assertJsonInvalid({ op: 'like', args: [a, { property: 'b' }] }, /expected a LIKE pattern/, '/args/1'));
  it('an IN list that is not an array', () => assertJsonInvalid({ op: 'in', args: [a, 'x'] }, /must be an array of values/, '/args/1'));
  it('an empty IN list', () => assertJsonInvalid({ op: 'in', args: [a, []] }, /at least one value/, '/args/1'));
  it('a geometry in an IN list', () =>
    assertJsonInvalid({ op: 'in', args: [a, [1, { type: 'Point', coordinates: [1, 2] }]] }, /expected a scalar value .* found a geometry/, '/args/1/1'));
  it('a plain string in a temporal predicate', () =>
    assertJsonInvalid({ op: 't_after', args: [a, '2020-01-01'] }, /expected a temporal expression .* found a string/, '/args/1'));
  it('a string in an array predicate', () => assertJsonInvalid({ op: 'a_contains', args: [a, 'x'] }, /expected an array/, '/args/1'));
});

describe('cql2 json errors: temporal literals', () => {
  it('an impossible date', () => assertJsonInvalid({ op: '=', args: [a, { date: '2021-02-30' }] }, /'2021-02-30' is not a valid date/, '/args/1/date'));
  it('a timestamp without Z', () =>
    assertJsonInvalid({ op: '=', args: [a, { timestamp: '2021-01-01T00:00:00' }] }, /is not a valid timestamp/, '/args/1/timestamp'));
  it('a cyclic value where a date belongs', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assertJsonInvalid({ op: '=', args: [a, { date: cyclic }] }, /an object is not a valid date/, '/args/1/date');
  });
  it('a date that is not a string', () => assertJsonInvalid({ op: '=', args: [a, { date: 20210101 }] }, /is not a valid date/, '/args/1/date'));
  it('an interval with one bound', () => assertJsonInvalid({ op: 't_during', args: [a, { interval: ['..'] }] }, /array of 2 bounds/, '/args/1/interval'));
  it('a bad interval bound', () =>
    assertJsonInvalid({ op: 't_during', args: [a, { interval: ['soon', '..'] }] }, /'soon' is not an interval bound/, '/args/1/interval/0'));
  it('a number as an interval bound', () =>
    assertJsonInvalid({ op: 't_during', args: [a, { interval: [1, '..'] }] }, /expected an interval bound/, '/args/1/interval/0'));
});

describe('cql2 json errors: geometry', () => {
  const intersects = (geometry: unknown): unknown => ({ op: 's_intersects', args: [a, geometry] });
  it('an unknown type', () => assertJsonInvalid(intersects({ type: 'Circle', coordinates: [1, 2] }), /unsupported GeoJSON geometry type 'Circle'/, '/args/1/type'));
  it('a one-number position', () => assertJsonInvalid(intersects({ type: 'Point', coordinates: [1] }), /2 or 3 numbers/, '/args/1/coordinates'));
  it('a string coordinate', () =>
    assertJsonInvalid(intersects({ type: 'Point', coordinates: [1, '2'] }), /finite number/, '/args/1/coordinates/1'));
  it('NaN (already-parsed input)', () => assertJsonInvalid(intersects({ type: 'Point', coordinates: [Number.NaN, 2] }), /finite number/, '/args/1/coordinates/0'));
  it('coordinates nested too shallow', () =>
    assertJsonInvalid(intersects({ type: 'Polygon', coordinates: [[0, 0], [1, 0], [1, 1], [0, 0]] }), /2 or 3 numbers/, '/args/1/coordinates/0/0'));
  it('an unclosed ring', () =>
    assertJsonInvalid(intersects({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }), /must end at the position it starts from/, '/args/1'));
  it('an empty multipoint', () => assertJsonInvalid(intersects({ type: 'MultiPoint', coordinates: [] }), /empty geometries/, '/args/1'));
  it('mixed dimensions', () =>
    assertJsonInvalid(intersects({ type: 'LineString', coordinates: [[0, 0], [1, 1, 1]] }), /same number of dimensions/, '/args/1'));
  it('a crs member', () =>
    assertJsonInvalid(intersects({ type: 'Point', coordinates: [1, 2], crs: { type: 'name' } }), /unexpected member 'crs'/, '/args/1'));
  it('a nested collection', () =>
    assertJsonInvalid(
      intersects({ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [] }] }),
      /unsupported GeoJSON geometry type 'GeometryCollection'/,
      '/args/1/geometries/0/type',
    ));
  it('a bbox with 5 numbers', () => assertJsonInvalid(intersects({ bbox: [1, 2, 3, 4, 5] }), /4 or 6 numbers/, '/args/1/bbox'));
  it('a bbox with south above north', () => assertJsonInvalid(intersects({ bbox: [0, 10, 1, 5] }), /south edge/, '/args/1/bbox'));
  it('a bbox with a string', () => assertJsonInvalid(intersects({ bbox: [0, '1', 2, 3] }), /finite number/, '/args/1/bbox/1'));
});
