/** Conformance classes property-property, functions and arithmetic. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCql2Text } from '../../src/index.ts';
import { equivalent, lit, prop } from './assertions.ts';

describe('cql2 property-property', () => {
  equivalent('two properties compared', 'water_level > warning_level', {
    op: '>',
    args: [{ property: 'water_level' }, { property: 'warning_level' }],
  }, { op: '>', args: [prop('water_level'), prop('warning_level')] });
  equivalent('a property in LIKE and IN lists', "name LIKE 'x%' AND kind IN (main_kind, 'other')", {
    op: 'and',
    args: [
      { op: 'like', args: [{ property: 'name' }, 'x%'] },
      { op: 'in', args: [{ property: 'kind' }, [{ property: 'main_kind' }, 'other']] },
    ],
  });
});

describe('cql2 functions', () => {
  equivalent('a function as the whole filter', 'is_open(lock_id)', { op: 'is_open', args: [{ property: 'lock_id' }] }, {
    function: 'is_open',
    args: [prop('lock_id')],
  });
  equivalent('a function with no arguments', 'now_year() > 2000', { op: '>', args: [{ op: 'now_year', args: [] }, 2000] });
  equivalent('keeps the case of the name and accepts every kind of argument', "Score(geom, 10, 'x', TRUE, (1, 2), POINT(1 2), DATE('2000-01-01'), a = 1) = FALSE", {
    op: '=',
    args: [
      {
        op: 'Score',
        args: [
          { property: 'geom' },
          10,
          'x',
          true,
          [1, 2],
          { type: 'Point', coordinates: [1, 2] },
          { date: '2000-01-01' },
          { op: '=', args: [{ property: 'a' }, 1] },
        ],
      },
      false,
    ],
  });
  equivalent('nested calls', 'f(g(h(x))) = 1', { op: '=', args: [{ op: 'f', args: [{ op: 'g', args: [{ op: 'h', args: [{ property: 'x' }] }] }] }, 1] });
  equivalent('a namespaced name', 'ns:area(geom) > 5', { op: '>', args: [{ op: 'ns:area', args: [{ property: 'geom' }] }, 5] });
  equivalent('a known function when a list is given', 'area(geom) > 5', { op: '>', args: [{ op: 'area', args: [{ property: 'geom' }] }, 5] }, undefined, {
    functions: new Set(['area']),
  });
});

describe('cql2 arithmetic', () => {
  for (const op of ['+', '-', '*', '/', '%']) {
    equivalent(`${op}`, `a ${op} 2 > 0`, { op: '>', args: [{ op, args: [{ property: 'a' }, 2] }, 0] }, {
      op: '>',
      args: [{ arith: op as '+', args: [prop('a'), lit(2)] }, lit(0)],
    });
  }
  equivalent('div', 'a div 2 = 3', { op: '=', args: [{ op: 'div', args: [{ property: 'a' }, 2] }, 3] });
  equivalent('DIV in upper case', 'a DIV 2 = 3', { op: '=', args: [{ op: 'div', args: [{ property: 'a' }, 2] }, 3] });
  equivalent('^', 'a ^ 2 = 4', { op: '=', args: [{ op: '^', args: [{ property: 'a' }, 2] }, 4] });
  equivalent('* before +', 'a + b * c = 0', {
    op: '=',
    args: [{ op: '+', args: [{ property: 'a' }, { op: '*', args: [{ property: 'b' }, { property: 'c' }] }] }, 0],
  });
  equivalent('left associative', 'a - b - c = 0', {
    op: '=',
    args: [{ op: '-', args: [{ op: '-', args: [{ property: 'a' }, { property: 'b' }] }, { property: 'c' }] }, 0],
  });
  equivalent('parentheses group', 'a * (b + c) = 0', {
    op: '=',
    args: [{ op: '*', args: [{ property: 'a' }, { op: '+', args: [{ property: 'b' }, { property: 'c' }] }] }, 0],
  });
  equivalent('^ before *', '2 * a ^ 3 = 0', { op: '=', args: [{ op: '*', args: [2, { op: '^', args: [{ property: 'a' }, 3] }] }, 0] });
  equivalent('minus without spaces is subtraction', 'stock-5 > 0', { op: '>', args: [{ op: '-', args: [{ property: 'stock' }, 5] }, 0] });
  equivalent('subtracting a negative number', 'stock - -5 > 0', { op: '>', args: [{ op: '-', args: [{ property: 'stock' }, -5] }, 0] });
  equivalent('unary minus on a property is -1 * x', '-stock < 0', { op: '<', args: [{ op: '*', args: [-1, { property: 'stock' }] }, 0] }, {
    op: '<',
    args: [{ arith: '*', args: [lit(-1), prop('stock')] }, lit(0)],
  });
  equivalent('unary minus binds tighter than *', '- a * 2 = 0', {
    op: '=',
    args: [{ op: '*', args: [{ op: '*', args: [-1, { property: 'a' }] }, 2] }, 0],
  });
  equivalent('unary minus on a group', '-(a + 1) = 0', {
    op: '=',
    args: [{ op: '*', args: [-1, { op: '+', args: [{ property: 'a' }, 1] }] }, 0],
  });
  equivalent('arithmetic on both sides and with functions', 'len(name) * 2 >= limit + 1', {
    op: '>=',
    args: [{ op: '*', args: [{ op: 'len', args: [{ property: 'name' }] }, 2] }, { op: '+', args: [{ property: 'limit' }, 1] }],
  });
  it('a property named like a keyword operator must be quoted', () => {
    assert.deepEqual(parseCql2Text('"div" div 2 = 1'), {
      op: '=',
      args: [{ arith: 'div', args: [prop('div'), lit(2)] }, lit(1)],
    });
  });
});
