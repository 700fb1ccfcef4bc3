/** Conformance class basic-cql2: comparisons, AND/OR/NOT, IS NULL, literals, property names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCql2Json, parseCql2Text } from '../../src/index.ts';
import { equivalent, lit, prop } from './assertions.ts';

describe('cql2 basic-cql2: comparisons', () => {
  equivalent('= with a string', "river_name = 'Danube'", { op: '=', args: [{ property: 'river_name' }, 'Danube'] }, {
    op: '=',
    args: [prop('river_name'), lit('Danube')],
  });
  equivalent('<> with a number', 'lanes <> 2', { op: '<>', args: [{ property: 'lanes' }, 2] });
  equivalent('< with a decimal', 'depth_m < 12.75', { op: '<', args: [{ property: 'depth_m' }, 12.75] });
  equivalent('> with a negative number', 'elevation > -30', { op: '>', args: [{ property: 'elevation' }, -30] }, {
    op: '>',
    args: [prop('elevation'), lit(-30)],
  });
  equivalent('<= with the literal first', '100 <= population', { op: '<=', args: [100, { property: 'population' }] });
  equivalent('>= with a date', "opened >= DATE('2001-09-30')", { op: '>=', args: [{ property: 'opened' }, { date: '2001-09-30' }] });
  equivalent('= with a timestamp', "seen = TIMESTAMP('2019-03-04T05:06:07Z')", {
    op: '=',
    args: [{ property: 'seen' }, { timestamp: '2019-03-04T05:06:07Z' }],
  });
  equivalent('= with a boolean', 'is_navigable = TRUE', { op: '=', args: [{ property: 'is_navigable' }, true] });
  equivalent('no spaces around operators', "kind='weir'", { op: '=', args: [{ property: 'kind' }, 'weir'] });
});

describe('cql2 basic-cql2: property names', () => {
  equivalent('prefixed names with ":" and "."', 'sat:orbit.state = 1', { op: '=', args: [{ property: 'sat:orbit.state' }, 1] });
  equivalent('a quoted name with a space', '"gauge station" = \'Passau\'', { op: '=', args: [{ property: 'gauge station' }, 'Passau'] });
  equivalent('a quoted keyword', '"and" = 3', { op: '=', args: [{ property: 'and' }, 3] });
  equivalent('a doubled quote inside a quoted name', '"say ""hi""" = 1', { op: '=', args: [{ property: 'say "hi"' }, 1] });
  equivalent('non-ASCII names', "flüsse = 'Inn'", { op: '=', args: [{ property: 'flüsse' }, 'Inn'] });
  equivalent('a call keyword without "(" is a property', 'date = 4', { op: '=', args: [{ property: 'date' }, 4] });
  it('keeps the case of property names', () => {
    assert.deepEqual(parseCql2Text('RiverName = 1'), { op: '=', args: [prop('RiverName'), lit(1)] });
  });
});

describe('cql2 basic-cql2: literals', () => {
  equivalent("a doubled quote in a string", "label = 'it''s'", { op: '=', args: [{ property: 'label' }, "it's"] });
  equivalent('a backslash-escaped quote', "label = 'it\\'s'", { op: '=', args: [{ property: 'label' }, "it's"] });
  equivalent('control escapes', "label = 'a\\tb\\nc'", { op: '=', args: [{ property: 'label' }, 'a\tb\nc'] });
  equivalent('an escaped backslash', "label = 'a\\\\b'", { op: '=', args: [{ property: 'label' }, 'a\\b'] });
  equivalent('other backslashes stay as written (LIKE escapes survive)', "label = '100\\%'", {
    op: '=',
    args: [{ property: 'label' }, '100\\%'],
  });
  equivalent('an empty string', "label = ''", { op: '=', args: [{ property: 'label' }, ''] });
  equivalent('an exponent', 'area > 1.5e3', { op: '>', args: [{ property: 'area' }, 1500] });
  equivalent('a negative exponent', 'area > 25E-1', { op: '>', args: [{ property: 'area' }, 2.5] });
  equivalent('a leading-dot decimal', 'ratio < .5', { op: '<', args: [{ property: 'ratio' }, 0.5] });
  equivalent('a trailing-dot decimal', 'ratio < 5.', { op: '<', args: [{ property: 'ratio' }, 5] });
  equivalent('a plus sign', 'ratio < +5', { op: '<', args: [{ property: 'ratio' }, 5] });
  equivalent('-0 is 0', 'ratio = -0.0', { op: '=', args: [{ property: 'ratio' }, -0] }, { op: '=', args: [prop('ratio'), lit(0)] });
  equivalent('TRUE alone', 'TRUE', true, lit(true));
  equivalent('false alone, lower case', 'false', false, lit(false));
  equivalent('two literals', "'a' = 'a'", { op: '=', args: ['a', 'a'] });
  it('keeps integers above 2^31 exact', () => {
    assert.deepEqual(parseCql2Text('id = 9007199254740991'), { op: '=', args: [prop('id'), lit(9007199254740991)] });
  });
});

describe('cql2 basic-cql2: logic and precedence', () => {
  equivalent(
    'AND binds tighter than OR',
    'a = 1 OR b = 2 AND c = 3',
    {
      op: 'or',
      args: [
        { op: '=', args: [{ property: 'a' }, 1] },
        { op: 'and', args: [{ op: '=', args: [{ property: 'b' }, 2] }, { op: '=', args: [{ property: 'c' }, 3] }] },
      ],
    },
  );
  equivalent(
    'parentheses override precedence',
    '(a = 1 OR b = 2) AND c = 3',
    {
      op: 'and',
      args: [
        { op: 'or', args: [{ op: '=', args: [{ property: 'a' }, 1] }, { op: '=', args: [{ property: 'b' }, 2] }] },
        { op: '=', args: [{ property: 'c' }, 3] },
      ],
    },
  );
  equivalent(
    'NOT binds tighter than AND',
    'NOT a = 1 AND b = 2',
    { op: 'and', args: [{ op: 'not', args: [{ op: '=', args: [{ property: 'a' }, 1] }] }, { op: '=', args: [{ property: 'b' }, 2] }] },
    { op: 'and', args: [{ op: 'not', arg: { op: '=', args: [prop('a'), lit(1)] } }, { op: '=', args: [prop('b'), lit(2)] }] },
  );
  equivalent('NOT NOT', 'NOT NOT a = 1', { op: 'not', args: [{ op: 'not', args: [{ op: '=', args: [{ property: 'a' }, 1] }] }] });
  equivalent('redundant parentheses vanish', '((a = 1))', { op: '=', args: [{ property: 'a' }, 1] });
  equivalent(
    'chains of AND flatten, however they are nested',
    '(a = 1 AND b = 2) AND c = 3 AND (d = 4)',
    {
      op: 'and',
      args: [
        { op: 'and', args: [{ op: '=', args: [{ property: 'a' }, 1] }, { op: '=', args: [{ property: 'b' }, 2] }] },
        { op: 'and', args: [{ op: '=', args: [{ property: 'c' }, 3] }, { op: '=', args: [{ property: 'd' }, 4] }] },
      ],
    },
    {
      op: 'and',
      args: [
        { op: '=', args: [prop('a'), lit(1)] },
        { op: '=', args: [prop('b'), lit(2)] },
        { op: '=', args: [prop('c'), lit(3)] },
        { op: '=', args: [prop('d'), lit(4)] },
      ],
    },
  );
  equivalent('boolean literals combine', 'TRUE AND NOT FALSE', { op: 'and', args: [true, { op: 'not', args: [false] }] });
});

describe('cql2 basic-cql2: IS NULL', () => {
  equivalent('IS NULL', 'closed_on IS NULL', { op: 'isNull', args: [{ property: 'closed_on' }] }, { op: 'isNull', arg: prop('closed_on') });
  equivalent('IS NOT NULL is not(isNull)', 'closed_on IS NOT NULL', { op: 'not', args: [{ op: 'isNull', args: [{ property: 'closed_on' }] }] }, {
    op: 'not',
    arg: { op: 'isNull', arg: prop('closed_on') },
  });
  equivalent('NOT x IS NULL means the same', 'NOT closed_on IS NULL', { op: 'not', args: [{ op: 'isNull', args: [{ property: 'closed_on' }] }] });
  equivalent('IS NULL on a function result', 'nearest_gauge(geom) IS NULL', {
    op: 'isNull',
    args: [{ op: 'nearest_gauge', args: [{ property: 'geom' }] }],
  });
});

describe('cql2 text: keywords and whitespace', () => {
  const expected = parseCql2Text("a = 1 AND NOT b IS NULL OR c LIKE 'x%'");
  for (const variant of [
    "a = 1 and not b is null or c like 'x%'",
    "a = 1 And Not b Is Null Or c Like 'x%'",
    "a=1 AND NOT b IS NULL OR c LIKE'x%'",
    "  a\t=\n1\r\nAND   NOT b IS NULL\u00A0OR c LIKE 'x%'  ",
    "a = 1 AND NOT b IS NULL OR c LIKE 'x%'\u3000",
  ]) {
    it(`reads ${JSON.stringify(variant)}`, () => assert.deepEqual(parseCql2Text(variant), expected));
  }
  it('reads the JSON text form too, with any whitespace', () => {
    assert.deepEqual(parseCql2Json('\n { "op" : "=" , "args" : [ { "property" : "a" } , 1 ] }\n'), parseCql2Text('a = 1'));
  });
});
