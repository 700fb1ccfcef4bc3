/** cql2-text input that must be rejected with CQL2_INVALID, a position and a message saying what was expected. */
import { describe, it } from 'node:test';
import { parseCql2Text } from '../../src/index.ts';
import { assertCql2Invalid, assertTextInvalid } from './assertions.ts';

describe('cql2 text errors: lexical', () => {
  it('an unterminated string, at its opening quote', () => assertTextInvalid("name = 'Passau", /unterminated string/, 7));
  it('a string whose last quote is escaped', () => assertTextInvalid("name = 'C:\\'", /unterminated string/, 7));
  it('an unterminated quoted name', () => assertTextInvalid('"gauge = 1', /unterminated property name/, 0));
  it('an empty quoted name', () => assertTextInvalid('"" = 1', /empty quoted property name/, 0));
  it("'!=' with a hint", () => assertTextInvalid('a != 1', /'!=' is not a CQL2 operator; use '<>' at 2/, 2));
  it('an unknown character', () => assertTextInvalid('a = 1 # x', /unexpected character '#'/, 6));
  it('a malformed number', () => assertTextInvalid('a = 12abc', /malformed number/, 4));
  it('a number with two dots', () => assertTextInvalid('a = 1.2.3', /malformed number/, 4));
  it('a number too large for a double', () => assertTextInvalid('a = 1e999', /out of range/, 4));
});

describe('cql2 text errors: structure', () => {
  it('an empty filter', () => assertTextInvalid('', /expected a filter expression, found the end of the filter at 0/, 0));
  it('a blank filter', () => assertTextInvalid('   ', /expected a filter expression/, 3));
  it('a missing closing parenthesis', () => assertTextInvalid('(a = 1 AND b = 2', /expected '\)', found the end of the filter at 16/, 16));
  it('a missing closing parenthesis of a call', () => assertTextInvalid('S_INTERSECTS(g, POINT(1 2)', /expected '\)'/, 26));
  it('trailing garbage', () => assertTextInvalid('a = 1 b', /expected AND, OR or the end of the filter, found 'b' at 6/, 6));
  it('a stray closing parenthesis', () => assertTextInvalid('a = 1)', /expected AND, OR or the end of the filter, found '\)'/, 5));
  it('chained comparisons', () => assertTextInvalid('a = b = c', /found '='/, 6));
  it('a dangling operator', () => assertTextInvalid('a = 1 AND', /expected an expression, found the end of the filter/, 9));
  it('a bare property is not a filter', () => assertTextInvalid('is_open', /expected a boolean expression .* found the property 'is_open' at 0/, 0));
  it('arithmetic is not a filter', () => assertTextInvalid('a + 1', /expected a boolean expression/, 0));
  it('AND needs boolean operands', () => assertTextInvalid('a = 1 AND b', /expected a boolean expression .* found the property 'b' at 10/, 10));
  it('NULL outside IS NULL', () => assertTextInvalid('a = NULL', /NULL can only be tested with IS NULL/, 4));
  it('an unquoted keyword as a property', () => assertTextInvalid('and = 1', /expected an expression, found 'and'/, 0));
  it('NOT followed by the wrong operator', () => assertTextInvalid('a NOT = 1', /expected LIKE, BETWEEN or IN after NOT/, 6));
  it('IS without NULL', () => assertTextInvalid('a IS 5', /expected NULL, found '5'/, 5));
});

describe('cql2 text errors: operands of the wrong kind', () => {
  it('a LIKE pattern that is not a string', () => assertTextInvalid('a LIKE b', /expected a string pattern/, 7));
  it('LIKE on a number', () => assertTextInvalid("5 LIKE 'x'", /expected a character expression .* found a number at 0/, 0));
  it('BETWEEN strings', () => assertTextInvalid("a BETWEEN 'x' AND 'y'", /expected a numeric expression/, 10));
  it('BETWEEN without AND', () => assertTextInvalid('a BETWEEN 1 2', /expected AND/, 12));
  it('an empty IN list', () => assertTextInvalid('a IN ()', /expected at least one value in the IN list/, 6));
  it('IN without a list', () => assertTextInvalid('a IN 1', /expected '\('/, 5));
  it('a comparison with a geometry', () => assertTextInvalid('a = POINT(1 2)', /expected a scalar value .* found a geometry/, 4));
  it('a temporal predicate on a plain string', () => assertTextInvalid("T_BEFORE(a, '2020-01-01')", /expected a temporal expression .* found a string at 12/, 12));
  it('a spatial predicate on a number', () => assertTextInvalid('S_INTERSECTS(a, 5)', /expected a spatial expression/, 16));
  it('an array predicate on a string', () => assertTextInvalid("A_CONTAINS(a, 'x')", /expected an array/, 14));
  it('a spatial predicate with one argument', () => assertTextInvalid('S_INTERSECTS(a)', /expected ',', found '\)'/, 14));
  it('a spatial predicate with three arguments', () => assertTextInvalid('S_INTERSECTS(a, b, c)', /expected '\)', found ','/, 17));
  it('CASEI on a number', () => assertTextInvalid('CASEI(5) = 5', /expected a character expression/, 6));
  it('unary minus on a string', () => assertTextInvalid("-'x' = 1", /expected a numeric expression/, 1));
});

describe('cql2 text errors: temporal literals', () => {
  for (const [text, position] of [
    ["DATE('2021-02-29')", 5],
    ["DATE('2021-13-01')", 5],
    ["DATE('0000-01-01')", 5],
    ["DATE('2021-1-1')", 5],
    ["TIMESTAMP('2021-01-01T24:00:00Z')", 10],
    ["TIMESTAMP('2021-01-01T10:00:00+01:00')", 10],
    ["TIMESTAMP('2021-01-01T10:00:00')", 10],
    ["TIMESTAMP('2021-01-01')", 10],
  ] as const) {
    it(`rejects ${text}`, () => assertTextInvalid(`T_EQUALS(t, ${text})`, /is not a valid (date|timestamp)/, 12 + position));
  }
  it('an unquoted date', () => assertTextInvalid('t = DATE(2021)', /expected a quoted date/, 9));
  it('a bad interval bound', () => assertTextInvalid("T_DURING(t, INTERVAL('yesterday', '..'))", /is not an interval bound/, 21));
  it('a number as an interval bound', () => assertTextInvalid('T_DURING(t, INTERVAL(1, 2))', /expected an interval bound/, 21));
  it('an interval with one bound', () => assertTextInvalid("T_DURING(t, INTERVAL('..'))", /expected ','/, 25));
});

describe('cql2 text errors: WKT', () => {
  const at = 'S_INTERSECTS(g, '.length;
  for (const [wkt, message, offset] of [
    ['POINT(1)', /expected a number, found '\)'/, 7],
    ['POINT(1 2 3 4)', /expected '\)' after the coordinates of a point/, 12],
    ['POINT Z (1 2)', /expected a third coordinate/, 12],
    ['POINT EMPTY', /EMPTY geometries are not supported/, 6],
    ['POINT(a b)', /expected a number, found 'a'/, 6],
    ['LINESTRING(1 2)', /at least 2 positions/, 0],
    ['LINESTRING(0 0, 1 1 1)', /same number of dimensions/, 0],
    ['POLYGON((0 0, 1 0, 1 1, 0 1))', /must end at the position it starts from/, 0],
    ['POLYGON((0 0, 1 1, 0 0))', /at least 4 positions/, 0],
    ['POLYGON(0 0, 1 1)', /expected '\(', found '0'/, 8],
    ['MULTIPOINT(1 2 3, 4 5)', /same number of dimensions/, 0],
    ['GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 2)))', /cannot contain another GEOMETRYCOLLECTION/, 19],
    ['GEOMETRYCOLLECTION(BBOX(1, 2, 3, 4))', /expected a WKT geometry/, 19],
    ['BBOX(1, 2, 3)', /a bbox has 4 or 6 numbers, not 3/, 0],
    ['BBOX(0, 10, 1, 5)', /south edge/, 0],
    ['BBOX(0, 0, 9, 1, 1, 3)', /minimum elevation/, 0],
  ] as const) {
    it(`rejects ${wkt}`, () => assertTextInvalid(`S_INTERSECTS(g, ${wkt})`, message, at + offset));
  }
});

describe('cql2 text errors: functions', () => {
  const functions = new Set(['area', 'buffer']);
  it('an unknown function when a list is given', () =>
    assertTextInvalid('a = 1 AND perimeter(geom) > 5', /unknown function 'perimeter' \(known functions: area, buffer\) at 10/, 10, { functions }));
  it('quotes at most 40 characters of a long name', () =>
    assertCql2Invalid(() => parseCql2Text(`${'f'.repeat(5000)}(x)`, { functions }), /^unknown function 'f{40}…' \(known functions: area, buffer\) at 0$/));
  it('function names are case-sensitive', () => assertTextInvalid('AREA(geom) > 5', /unknown function 'AREA'/, 0, { functions }));
  it('a JSON operator name used as a function', () => assertTextInvalid('isNull(a)', /'isNull' is a CQL2 operator, not a function/, 0));
  it('a quoted name is a property, not a function', () => assertTextInvalid('"area"(geom) > 5', /expected AND, OR or the end of the filter, found '\('/, 6));
});
