/**
 * Literals, CASEI/ACCENTI and arithmetic: the scalar values of CQL2 and the type rules that say which of
 * them can be compared with which.
 */
import type { Cql2 } from '@meridian/core';
import type { SqlParams } from '../sql-params.ts';
import { cql2Error } from './errors.ts';
import { describeType, type ScalarKind, type Typed } from './types.ts';

type Cql2Literal = Cql2.Literal['literal'];

export function literal(value: Cql2Literal, params: SqlParams): Typed {
  if (typeof value === 'string') return { sql: `${params.add(value)}::text`, type: { kind: 'string' } };
  if (typeof value === 'boolean') return { sql: `${params.add(value)}::boolean`, type: { kind: 'boolean' } };
  // bigint keeps comparisons with integer columns index-friendly; other numbers are compared as doubles.
  if (Number.isSafeInteger(value)) return { sql: `${params.add(value)}::bigint`, type: { kind: 'integer' } };
  return { sql: `${params.add(value)}::double precision`, type: { kind: 'number' } };
}

export function dateLiteral(date: string, params: SqlParams): Typed {
  return { sql: `${params.add(date)}::date`, type: { kind: 'date' } };
}

export function timestampLiteral(timestamp: string, params: SqlParams): Typed {
  return { sql: `${params.add(timestamp)}::timestamptz`, type: { kind: 'timestamp' } };
}

/**
 * Strips accents without the unaccent extension (not installable everywhere): canonical decomposition,
 * then the combining marks (U+0300–U+036F) removed; letters that have no decomposition (ø, đ, ł, ...)
 * are mapped by translate.
 */
const FOLD_FROM = 'øØđĐłŁħĦŧŦıĸ';
const FOLD_TO = 'oOdDlLhHtTik';

export function accentFold(sql: string): string {
  return `translate(regexp_replace(normalize(${sql}, NFD), '[\\u0300-\\u036f]', '', 'g'), '${FOLD_FROM}', '${FOLD_TO}')`;
}

export function requireString(value: Typed, where: string): Typed {
  if (value.type.kind !== 'string') throw cql2Error(`${where} needs a string, but got ${describeType(value.type)}`);
  return value;
}

export function pattern(node: Cql2.PatternExpression, params: SqlParams): string {
  if ('casei' in node) return `lower(${pattern(node.casei, params)})`;
  if ('accenti' in node) return accentFold(pattern(node.accenti, params));
  return `${params.add(node.literal)}::text`;
}

const NUMERIC_KINDS: ReadonlySet<string> = new Set(['integer', 'number']);
const TEMPORAL_KINDS: ReadonlySet<string> = new Set(['date', 'timestamp']);

/** A date as the UTC midnight instant, so it can be compared with timestamps whatever the session time zone. */
export function dateAsTimestamp(sql: string): string {
  return `((${sql})::timestamp AT TIME ZONE 'UTC')`;
}

/**
 * Checks that the values can be compared with each other and returns their SQL, converted where needed:
 * integers and numbers compare as numbers; dates meeting timestamps become UTC midnights.
 */
export function comparable(values: readonly Typed[], operator: string): string[] {
  const kinds = values.map((v) => (v.type.kind === 'array' || v.type.kind === 'geometry' ? undefined : v.type.kind));
  const all = (set: ReadonlySet<string>) => kinds.every((k) => k !== undefined && set.has(k));
  const first = kinds[0];
  if (first !== undefined && kinds.every((k) => k === first)) return values.map((v) => v.sql);
  if (all(NUMERIC_KINDS)) return values.map((v) => v.sql);
  if (all(TEMPORAL_KINDS)) return values.map((v) => (v.type.kind === 'date' ? dateAsTimestamp(v.sql) : v.sql));
  const described = [...new Set(values.map((v) => describeType(v.type)))].join(' and ');
  throw cql2Error(`'${operator}' cannot compare ${described}; compare like with like (use DATE()/TIMESTAMP() for temporal literals)`);
}

export function requireOrdered(values: readonly Typed[], operator: string): void {
  for (const value of values) {
    if (value.type.kind === 'boolean') throw cql2Error(`'${operator}' needs ordered values (numbers, strings, dates, timestamps), not booleans`);
  }
}

export function arithmetic(node: Cql2.Arithmetic, left: Typed, right: Typed): Typed {
  for (const side of [left, right]) {
    if (!NUMERIC_KINDS.has(side.type.kind)) throw cql2Error(`arithmetic '${node.arith}' needs numbers, but got ${describeType(side.type)}`);
  }
  const integer = left.type.kind === 'integer' && right.type.kind === 'integer';
  const [a, b] = [left.sql, right.sql];
  switch (node.arith) {
    case '+':
    case '-':
    case '*':
      return { sql: `(${a} ${node.arith} ${b})`, type: { kind: integer ? 'integer' : 'number' } };
    // CQL2 '/' is real division; PostgreSQL would truncate integer / integer.
    case '/':
      return { sql: `((${a})::double precision / ${b})`, type: { kind: 'number' } };
    case '%':
      return { sql: `mod((${a})::numeric, (${b})::numeric)`, type: { kind: 'number' } };
    case 'div':
      return { sql: `div((${a})::numeric, (${b})::numeric)`, type: { kind: 'number' } };
    case '^':
      return { sql: `power((${a})::double precision, (${b})::double precision)`, type: { kind: 'number' } };
  }
}

export function isScalarKind(kind: string): kind is ScalarKind {
  return NUMERIC_KINDS.has(kind) || TEMPORAL_KINDS.has(kind) || kind === 'string' || kind === 'boolean';
}
