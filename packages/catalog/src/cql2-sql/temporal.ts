/**
 * Temporal predicates. Every operand becomes a span [start, end]: an instant is a span of length zero, an
 * open interval end ('..') is ±infinity. The fifteen CQL2 operators are then Allen's interval relations
 * written as comparisons of span ends, which keeps them index-friendly on a timestamp column.
 */
import type { Cql2 } from '@meridian/core';
import { cql2Error } from './errors.ts';
import { dateAsTimestamp } from './scalars.ts';
import { describeType, type Typed } from './types.ts';

/**
 * A span end; undefined is an open end. Its SQL is produced on first use, because most relations read
 * only some ends and a bind parameter that the SQL never references has no type PostgreSQL can infer.
 */
interface End {
  kind: 'date' | 'timestamp';
  sql: () => string;
}

type Span = { start: End | undefined; end: End | undefined };

function temporalValue(value: Typed, where: string): End {
  if (value.type.kind !== 'date' && value.type.kind !== 'timestamp') {
    throw cql2Error(`${where} needs a date or timestamp, but got ${describeType(value.type)}`);
  }
  return { kind: value.type.kind, sql: () => value.sql };
}

function literalEnd(kind: End['kind'], compile: () => Typed): End {
  let sql: string | undefined;
  return { kind, sql: () => (sql ??= compile().sql) };
}

/** Compiles an operand of a temporal operator; `value` compiles anything that is not an interval. */
export function span(node: Cql2.TemporalExpression, value: (node: Cql2.Expression) => Typed, op: string): Span {
  if ('interval' in node) {
    const [start, end] = node.interval.map((bound): End | undefined => {
      if (bound === '..') return undefined;
      if ('date' in bound) return literalEnd('date', () => value(bound));
      if ('timestamp' in bound) return literalEnd('timestamp', () => value(bound));
      return temporalValue(value(bound), `an interval bound in '${op}'`);
    });
    return { start, end };
  }
  const instant = temporalValue(value(node), `'${op}'`);
  return { start: instant, end: instant };
}

type Ends = { s: string; e: string };

/** Relations over [s, e] ends, as CQL2 defines them. */
const RELATIONS: Record<Cql2.TemporalOperator, (a: Ends, b: Ends) => string> = {
  t_after: (a, b) => `${a.s} > ${b.e}`,
  t_before: (a, b) => `${a.e} < ${b.s}`,
  t_contains: (a, b) => `${a.s} < ${b.s} AND ${a.e} > ${b.e}`,
  t_disjoint: (a, b) => `(${a.e} < ${b.s} OR ${a.s} > ${b.e})`,
  t_during: (a, b) => `${a.s} > ${b.s} AND ${a.e} < ${b.e}`,
  t_equals: (a, b) => `${a.s} = ${b.s} AND ${a.e} = ${b.e}`,
  t_finishedBy: (a, b) => `${a.s} < ${b.s} AND ${a.e} = ${b.e}`,
  t_finishes: (a, b) => `${a.s} > ${b.s} AND ${a.e} = ${b.e}`,
  t_intersects: (a, b) => `${a.s} <= ${b.e} AND ${a.e} >= ${b.s}`,
  t_meets: (a, b) => `${a.e} = ${b.s}`,
  t_metBy: (a, b) => `${a.s} = ${b.e}`,
  t_overlappedBy: (a, b) => `${a.s} > ${b.s} AND ${a.s} < ${b.e} AND ${a.e} > ${b.e}`,
  t_overlaps: (a, b) => `${a.s} < ${b.s} AND ${a.e} > ${b.s} AND ${a.e} < ${b.e}`,
  t_startedBy: (a, b) => `${a.s} = ${b.s} AND ${a.e} > ${b.e}`,
  t_starts: (a, b) => `${a.s} = ${b.s} AND ${a.e} < ${b.e}`,
};

/**
 * Dates are compared as dates when every end is a date (so a date column keeps its index); as soon as a
 * timestamp takes part, dates become UTC midnights.
 */
export function temporalPredicate(op: Cql2.TemporalOperator, left: Span, right: Span): string {
  const allDates = [left.start, left.end, right.start, right.end].every((end) => end === undefined || end.kind === 'date');
  const sqlType = allDates ? 'date' : 'timestamptz';
  const render = (end: End | undefined, open: '-infinity' | 'infinity') => {
    if (end === undefined) return `'${open}'::${sqlType}`;
    return end.kind === 'date' && !allDates ? dateAsTimestamp(end.sql()) : end.sql();
  };
  // Getters, so an end is only rendered (and its literal bound) when the relation reads it.
  const ends = (s: Span): Ends => ({
    get s() { return render(s.start, '-infinity'); },
    get e() { return render(s.end, 'infinity'); },
  });
  return `(${RELATIONS[op](ends(left), ends(right))})`;
}
