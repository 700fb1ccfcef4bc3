/** The public surface: parseCql2, propertiesOf, conformance classes, and SQL-looking input staying data. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cql2ConformanceClasses, parseCql2, parseCql2Json, parseCql2Text, propertiesOf } from '../../src/index.ts';
import { assertCql2Invalid, assertTextInvalid, lit, prop } from './assertions.ts';

describe('cql2 parseCql2', () => {
  it('dispatches on the language', () => {
    assert.deepEqual(parseCql2('a = 1', 'cql2-text'), { op: '=', args: [prop('a'), lit(1)] });
    assert.deepEqual(parseCql2({ op: '=', args: [{ property: 'a' }, 1] }, 'cql2-json'), { op: '=', args: [prop('a'), lit(1)] });
    assert.deepEqual(parseCql2('{"op": "=", "args": [{"property": "a"}, 1]}', 'cql2-json'), { op: '=', args: [prop('a'), lit(1)] });
  });
  it('wants a string for cql2-text', () => assertCql2Invalid(() => parseCql2({ op: '=' }, 'cql2-text'), /must be a string/));
});

describe('cql2 propertiesOf', () => {
  it('finds properties everywhere in the tree', () => {
    const ast = parseCql2Text(
      "a = 1 AND NOT b LIKE CASEI('x') AND c IN (d, 'e') AND T_DURING(INTERVAL(f, '..'), g) AND S_WITHIN(h, POINT(1 2)) " +
        "AND A_CONTAINS(i, (j, 1)) AND fn(k, l + 1) AND ACCENTI(m) = 'n' AND o IS NULL AND p BETWEEN q AND 2 ^ r",
    );
    assert.deepEqual([...propertiesOf(ast)].sort(), ['a', 'b', 'c', 'd', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'o', 'p', 'q', 'r']);
  });
  it('returns an empty set for a filter without properties', () => assert.equal(propertiesOf(parseCql2Text('TRUE')).size, 0));
  it('walks deep hand-built trees without recursion', () => {
    let node: Parameters<typeof propertiesOf>[0] = { op: '=', args: [prop('deep'), lit(1)] };
    for (let i = 0; i < 100_000; i++) node = { op: 'not', arg: node };
    assert.deepEqual([...propertiesOf(node)], ['deep']);
  });
});

describe('cql2 conformance classes', () => {
  it('lists the supported classes as OGC URIs', () => {
    assert.equal(cql2ConformanceClasses.length, 14);
    for (const uri of cql2ConformanceClasses) assert.match(uri, /^http:\/\/www\.opengis\.net\/spec\/cql2\/1\.0\/conf\/[a-z0-9-]+$/);
    assert.ok(cql2ConformanceClasses.includes('http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2'));
    assert.ok(cql2ConformanceClasses.includes('http://www.opengis.net/spec/cql2/1.0/conf/cql2-json'));
  });
});

describe('cql2 SQL-looking input is data or an error, never SQL', () => {
  it("rejects a statement separator: name = 'x'; DROP TABLE t --'", () =>
    assertTextInvalid("name = 'x'; DROP TABLE t --'", /unexpected character ';'/, 10));
  it('rejects a trailing SQL comment', () => assertTextInvalid("name = 'x' --", /expected an expression, found the end of the filter/));
  it('rejects a block comment', () => assertTextInvalid("name = 'x' /* c */", /expected an expression, found '\*'/));
  it('rejects OR 1=1 with a comment tail', () => assertTextInvalid("name = 'x' OR 1=1 --", /expected an expression/));
  it('keeps a quote-breaking attempt inside the string literal', () => {
    assert.deepEqual(parseCql2Text("name = 'x''; DROP TABLE t; --'"), { op: '=', args: [prop('name'), lit("x'; DROP TABLE t; --")] });
  });
  it('keeps SQL in a quoted property name as a name the whitelist will refuse', () => {
    const ast = parseCql2Text('"name"" = 1; DROP TABLE t; --" = 1');
    assert.deepEqual([...propertiesOf(ast)], ['name" = 1; DROP TABLE t; --']);
  });
  it('keeps SQL in JSON strings and property names as data', () => {
    const ast = parseCql2Json({ op: '=', args: [{ property: 'x) OR 1=1 --' }, "'; DROP TABLE t; --"] });
    assert.deepEqual(ast, { op: '=', args: [prop('x) OR 1=1 --'), lit("'; DROP TABLE t; --")] });
    assert.deepEqual([...propertiesOf(ast)], ['x) OR 1=1 --']);
  });
  it('does not let a JSON function name carry SQL', () =>
    assertCql2Invalid(() => parseCql2Json({ op: 'now(); DROP TABLE t; --', args: [] }), /unknown operator 'now\(\); DROP TABLE t; --'/));
});
