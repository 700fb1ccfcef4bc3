/** Conformance class temporal-functions: the 15 T_ predicates, DATE(), TIMESTAMP(), INTERVAL(). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCql2Text } from '../../src/index.ts';
import { equivalent, prop } from './assertions.ts';

const TEMPORAL_OPS = [
  't_after', 't_before', 't_contains', 't_disjoint', 't_during', 't_equals', 't_finishedBy', 't_finishes',
  't_intersects', 't_meets', 't_metBy', 't_overlappedBy', 't_overlaps', 't_startedBy', 't_starts',
];

describe('cql2 temporal-functions: every predicate', () => {
  for (const op of TEMPORAL_OPS) {
    equivalent(
      `${op.toUpperCase()} maps to '${op}'`,
      `${op.toUpperCase()}(INTERVAL(valid_from, valid_to), INTERVAL('2018-01-01', '2018-12-31T23:59:59Z'))`,
      {
        op,
        args: [
          { interval: [{ property: 'valid_from' }, { property: 'valid_to' }] },
          { interval: ['2018-01-01', '2018-12-31T23:59:59Z'] },
        ],
      },
    );
  }
  it('reads the mixed-case keywords in any case', () => {
    assert.equal((parseCql2Text('t_finishedby(a, b)') as { op: string }).op, 't_finishedBy');
    assert.equal((parseCql2Text('T_OverlappedBy(a, b)') as { op: string }).op, 't_overlappedBy');
  });
});

describe('cql2 temporal-functions: instants and intervals', () => {
  equivalent('T_BEFORE a date', "T_BEFORE(sampled, DATE('1999-12-31'))", {
    op: 't_before',
    args: [{ property: 'sampled' }, { date: '1999-12-31' }],
  }, { op: 't_before', args: [prop('sampled'), { date: '1999-12-31' }] });
  equivalent('T_AFTER a timestamp with fractional seconds', "T_AFTER(sampled, TIMESTAMP('2021-06-01T12:00:00.25Z'))", {
    op: 't_after',
    args: [{ property: 'sampled' }, { timestamp: '2021-06-01T12:00:00.25Z' }],
  });
  equivalent('trailing zero fractions are dropped', "T_EQUALS(sampled, TIMESTAMP('2021-06-01T12:00:00.000000Z'))", {
    op: 't_equals',
    args: [{ property: 'sampled' }, { timestamp: '2021-06-01T12:00:00Z' }],
  }, { op: 't_equals', args: [prop('sampled'), { timestamp: '2021-06-01T12:00:00Z' }] });
  equivalent('an interval open at the start', "T_DURING(sampled, INTERVAL('..', '2000-01-01'))", {
    op: 't_during',
    args: [{ property: 'sampled' }, { interval: ['..', '2000-01-01'] }],
  }, { op: 't_during', args: [prop('sampled'), { interval: ['..', { date: '2000-01-01' }] }] });
  equivalent('an interval open at the end', "T_INTERSECTS(sampled, INTERVAL('2000-01-01T00:00:00Z', '..'))", {
    op: 't_intersects',
    args: [{ property: 'sampled' }, { interval: ['2000-01-01T00:00:00Z', '..'] }],
  });
  equivalent('an interval open at both ends', "T_INTERSECTS(sampled, INTERVAL('..', '..'))", {
    op: 't_intersects',
    args: [{ property: 'sampled' }, { interval: ['..', '..'] }],
  });
  equivalent('an interval bounded by a function', "T_CONTAINS(INTERVAL(start_of(season), '2030-01-01'), sampled)", {
    op: 't_contains',
    args: [{ interval: [{ op: 'start_of', args: [{ property: 'season' }] }, '2030-01-01'] }, { property: 'sampled' }],
  });
  equivalent('DATE() inside INTERVAL is the same as the bare string', "T_DURING(sampled, INTERVAL(DATE('2001-01-01'), TIMESTAMP('2002-01-01T00:00:00Z')))", {
    op: 't_during',
    args: [{ property: 'sampled' }, { interval: [{ date: '2001-01-01' }, { timestamp: '2002-01-01T00:00:00Z' }] }],
  });
  equivalent('two properties', 'T_MEETS(phase_a, phase_b)', { op: 't_meets', args: [{ property: 'phase_a' }, { property: 'phase_b' }] });
  equivalent('a leap day', "T_EQUALS(sampled, DATE('2024-02-29'))", { op: 't_equals', args: [{ property: 'sampled' }, { date: '2024-02-29' }] });
  equivalent('lower-case date()', "sampled > date('2020-05-05')", { op: '>', args: [{ property: 'sampled' }, { date: '2020-05-05' }] });
});
