/**
 * Canonical forms of literal values, shared by both parsers so equal filters give equal ASTs, and strict
 * enough that the database never sees a value it would reject (e.g. 2021-02-30 or year 0).
 */
import type { DateLiteral, IntervalBound, TimestampLiteral } from './ast.ts';

/** -0 and 0 are the same value in a filter; keeping one spelling keeps ASTs comparable. */
export function canonicalNumber(value: number): number {
  return value === 0 ? 0 : value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date as written when it is a real 'YYYY-MM-DD' date from year 0001 on, else undefined. */
export function canonicalDate(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return text;
}

/** The UTC timestamp without trailing zero fractional digits, or undefined when it is not a valid instant. */
export function canonicalTimestamp(text: string): string | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  return `${text.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}

export const DATE_FORMAT = "'YYYY-MM-DD'";
export const TIMESTAMP_FORMAT = "'YYYY-MM-DDThh:mm:ss[.fff]Z' (UTC)";

/** A string bound of INTERVAL(): '..', a date or a timestamp; undefined when it is none of them. */
export function intervalBoundFromString(text: string): IntervalBound | undefined {
  if (text === '..') return '..';
  const date = canonicalDate(text);
  if (date !== undefined) return { date } satisfies DateLiteral;
  const timestamp = canonicalTimestamp(text);
  return timestamp === undefined ? undefined : ({ timestamp } satisfies TimestampLiteral);
}
