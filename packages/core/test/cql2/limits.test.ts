/** Pathological input ends in CQL2_INVALID, never in a stack overflow or unbounded work. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CQL2_MAX_FILTER_BYTES, CQL2_MAX_NESTING_DEPTH, parseCql2Json, parseCql2Text } from '../../src/index.ts';
import { assertCql2Invalid, assertJsonInvalid, assertTextInvalid } from './assertions.ts';

const DEEP = /nests more than 100 levels deep/;

describe('cql2 limits: size', () => {
  it('has the documented limits', () => {
    assert.equal(CQL2_MAX_FILTER_BYTES, 65536);
    assert.equal(CQL2_MAX_NESTING_DEPTH, 100);
  });
  it('rejects text over 64 KiB', () => assertTextInvalid(`a = '${'x'.repeat(CQL2_MAX_FILTER_BYTES)}'`, /longer than 65536 bytes/));
  it('counts bytes, not characters', () => assertTextInvalid(`a = '${'ü'.repeat(40_000)}'`, /longer than 65536 bytes/));
  it('accepts a long flat filter under the limit', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `a = ${i}`).join(' OR ');
    const ast = parseCql2Text(text);
    assert.equal('op' in ast && ast.op === 'or' && ast.args.length, 3000);
  });
  it('rejects JSON text over 64 KiB', () => assertJsonInvalid(JSON.stringify({ op: '=', args: [{ property: 'a' }, 'x'.repeat(70_000)] }), /longer than 65536 bytes/));
  it('rejects an already-parsed JSON value with too many values', () =>
    assertJsonInvalid({ op: 'in', args: [{ property: 'a' }, Array.from({ length: 70_000 }, () => 1)] }, /more than 65536 values/));
  it('rejects a huge GeoJSON geometry', () =>
    assertJsonInvalid(
      { op: 's_intersects', args: [{ property: 'g' }, { type: 'MultiPoint', coordinates: Array.from({ length: 30_000 }, () => [1, 2]) }] },
      /more than 65536 values/,
    ));
});

describe('cql2 limits: text nesting', () => {
  const wrap = (n: number): string => `${'('.repeat(n)}a = 1${')'.repeat(n)}`;
  it('accepts 99 levels of parentheses', () => assert.deepEqual(parseCql2Text(wrap(99)), parseCql2Text('a = 1')));
  it('rejects 101 levels of parentheses, where the 101st opens', () => assertTextInvalid(wrap(101), DEEP, 100));
  it('survives 60 000 open parentheses', () => assertTextInvalid('('.repeat(60_000), DEEP));
  it('rejects a NOT chain', () => assertTextInvalid(`${'NOT '.repeat(200)}a = 1`, DEEP));
  it('rejects a unary minus chain', () => assertTextInvalid(`${'-'.repeat(200)}a = 1`, DEEP));
  it('rejects nested function calls', () => assertTextInvalid(`${'f('.repeat(200)}1${')'.repeat(200)} = 1`, DEEP));
  it('rejects nested arrays', () => assertTextInvalid(`A_EQUALS(a, ${'('.repeat(200)}1${')'.repeat(200)})`, DEEP));
  it('rejects a long arithmetic chain, which builds a deep tree', () => assertTextInvalid(`a = ${'1 + '.repeat(150)}1`, DEEP));
  it('accepts a short arithmetic chain', () => assert.ok(parseCql2Text(`a = ${'1 + '.repeat(50)}1`)));
});

describe('cql2 limits: JSON nesting', () => {
  const nots = (n: number): unknown => {
    let node: unknown = { op: '=', args: [{ property: 'a' }, 1] };
    for (let i = 0; i < n; i++) node = { op: 'not', args: [node] };
    return node;
  };
  it('accepts 99 nested NOTs', () => assert.ok(parseCql2Json(nots(99))));
  it('rejects 200 nested NOTs', () => assertJsonInvalid(nots(200), DEEP));
  it('rejects deeply nested arrays in JSON text', () =>
    assertJsonInvalid(`{"op": "a_equals", "args": [{"property": "a"}, ${'['.repeat(30_000)}${']'.repeat(30_000)}]}`, DEEP));
  it('rejects a cyclic object instead of looping', () => {
    const cyclic: { op: string; args: unknown[] } = { op: 'not', args: [] };
    cyclic.args.push(cyclic);
    assertCql2Invalid(() => parseCql2Json(cyclic), DEEP);
  });
});
