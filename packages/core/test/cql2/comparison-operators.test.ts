/**
 * Conformance classes advanced-comparison-operators (LIKE, BETWEEN, IN), case-insensitive-comparison (CASEI)
 * and accent-insensitive-comparison (ACCENTI).
 */
import { describe } from 'node:test';
import { equivalent, lit, prop } from './assertions.ts';

describe('cql2 advanced-comparison-operators: LIKE', () => {
  equivalent('LIKE with % and _', "station LIKE 'Pas_au%'", { op: 'like', args: [{ property: 'station' }, 'Pas_au%'] }, {
    op: 'like',
    args: [prop('station'), lit('Pas_au%')],
  });
  equivalent('NOT LIKE is not(like)', "station NOT LIKE '%dam'", { op: 'not', args: [{ op: 'like', args: [{ property: 'station' }, '%dam'] }] }, {
    op: 'not',
    arg: { op: 'like', args: [prop('station'), lit('%dam')] },
  });
  equivalent('NOT before the operand means the same', "NOT station LIKE '%dam'", {
    op: 'not',
    args: [{ op: 'like', args: [{ property: 'station' }, '%dam'] }],
  });
  equivalent('an escaped wildcard', "code LIKE 'A\\_%'", { op: 'like', args: [{ property: 'code' }, 'A\\_%'] });
  equivalent('a function as the value', "lower(name) LIKE 'x%'", { op: 'like', args: [{ op: 'lower', args: [{ property: 'name' }] }, 'x%'] });
});

describe('cql2 advanced-comparison-operators: BETWEEN', () => {
  equivalent('BETWEEN numbers', 'depth_m BETWEEN 2.5 AND 40', { op: 'between', args: [{ property: 'depth_m' }, 2.5, 40] }, {
    op: 'between',
    args: [prop('depth_m'), lit(2.5), lit(40)],
  });
  equivalent('NOT BETWEEN is not(between)', 'depth_m NOT BETWEEN -1 AND 1', {
    op: 'not',
    args: [{ op: 'between', args: [{ property: 'depth_m' }, -1, 1] }],
  });
  equivalent('BETWEEN properties and arithmetic', 'depth_m BETWEEN low_m AND low_m + 10', {
    op: 'between',
    args: [{ property: 'depth_m' }, { property: 'low_m' }, { op: '+', args: [{ property: 'low_m' }, 10] }],
  });
  equivalent('BETWEEN followed by AND', 'a BETWEEN 1 AND 2 AND b = 3', {
    op: 'and',
    args: [{ op: 'between', args: [{ property: 'a' }, 1, 2] }, { op: '=', args: [{ property: 'b' }, 3] }],
  });
});

describe('cql2 advanced-comparison-operators: IN', () => {
  equivalent('IN strings', "basin IN ('Rhine', 'Elbe', 'Oder')", { op: 'in', args: [{ property: 'basin' }, ['Rhine', 'Elbe', 'Oder']] }, {
    op: 'in',
    args: [prop('basin'), [lit('Rhine'), lit('Elbe'), lit('Oder')]],
  });
  equivalent('IN with one value', 'class IN (4)', { op: 'in', args: [{ property: 'class' }, [4]] });
  equivalent('NOT IN is not(in)', 'class NOT IN (1, 2.5, -3)', { op: 'not', args: [{ op: 'in', args: [{ property: 'class' }, [1, 2.5, -3]] }] });
  equivalent('IN dates', "day IN (DATE('2020-01-01'), DATE('2020-12-31'))", {
    op: 'in',
    args: [{ property: 'day' }, [{ date: '2020-01-01' }, { date: '2020-12-31' }]],
  });
});

describe('cql2 case-insensitive-comparison: CASEI', () => {
  equivalent('CASEI on both sides', "CASEI(city) = CASEI('KÖLN')", {
    op: '=',
    args: [{ op: 'casei', args: [{ property: 'city' }] }, { op: 'casei', args: ['KÖLN'] }],
  }, { op: '=', args: [{ casei: prop('city') }, { casei: lit('KÖLN') }] });
  equivalent('CASEI in LIKE', "CASEI(city) LIKE CASEI('k%')", {
    op: 'like',
    args: [{ op: 'casei', args: [{ property: 'city' }] }, { op: 'casei', args: ['k%'] }],
  }, { op: 'like', args: [{ casei: prop('city') }, { casei: lit('k%') }] });
  equivalent('CASEI in an IN list', "CASEI(city) IN (CASEI('Wien'), CASEI('Graz'))", {
    op: 'in',
    args: [{ op: 'casei', args: [{ property: 'city' }] }, [{ op: 'casei', args: ['Wien'] }, { op: 'casei', args: ['Graz'] }]],
  });
  equivalent('casei in lower case', "casei(city) = 'x'", { op: '=', args: [{ op: 'casei', args: [{ property: 'city' }] }, 'x'] });
});

describe('cql2 accent-insensitive-comparison: ACCENTI', () => {
  equivalent('ACCENTI on both sides', "ACCENTI(city) = ACCENTI('Zürich')", {
    op: '=',
    args: [{ op: 'accenti', args: [{ property: 'city' }] }, { op: 'accenti', args: ['Zürich'] }],
  }, { op: '=', args: [{ accenti: prop('city') }, { accenti: lit('Zürich') }] });
  equivalent('ACCENTI inside CASEI', "CASEI(ACCENTI(city)) = CASEI(ACCENTI('ÉCLUSE'))", {
    op: '=',
    args: [
      { op: 'casei', args: [{ op: 'accenti', args: [{ property: 'city' }] }] },
      { op: 'casei', args: [{ op: 'accenti', args: ['ÉCLUSE'] }] },
    ],
  }, { op: '=', args: [{ casei: { accenti: prop('city') } }, { casei: { accenti: lit('ÉCLUSE') } }] });
  equivalent('ACCENTI in a LIKE pattern', "ACCENTI(city) LIKE ACCENTI('Mün%')", {
    op: 'like',
    args: [{ op: 'accenti', args: [{ property: 'city' }] }, { op: 'accenti', args: ['Mün%'] }],
  });
});
