/**
 * RFC 3339 instants and dates as OGC API Features' `datetime` parameter and property=value filters write
 * them, turned into CQL2 literals (instants in UTC) so they are filtered by the same compiler as CQL2.
 */
import { MeridianError, type Cql2, type ErrorCode } from '@meridian/core';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A date or RFC 3339 date-time as a CQL2 date or (UTC) timestamp literal; undefined when it is neither. */
export function instantLiteral(text: string): Cql2.DateLiteral | Cql2.TimestampLiteral | undefined {
  const date = DATE.exec(text);
  if (date) return validDate(Number(date[1]), Number(date[2]), Number(date[3])) ? { date: text } : undefined;
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (!validDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second! > 60) return undefined;
  const offsetMinutes = m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const fraction = (m[7] ?? '').slice(1).padEnd(3, '0').slice(0, 3);
  // A leap second (:60) is read as the first instant of the next minute.
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, Number(fraction)) - offsetMinutes * 60_000;
  return { timestamp: new Date(utc).toISOString() };
}

function fail(code: ErrorCode, detail: string): never {
  throw new MeridianError(code, detail);
}

/**
 * The OGC `datetime` value (an instant, or an interval "start/end" where ".." or an empty string is an open
 * end) as a CQL2 temporal value.
 */
export function parseDatetime(text: string): Cql2.TemporalExpression {
  const shown = text.slice(0, 100);
  const parts = text.split('/');
  if (parts.length > 2) fail('INVALID_DATETIME', `datetime "${shown}" has more than one "/"`);
  const bounds = parts.map((part): Cql2.IntervalBound => {
    if (parts.length === 2 && (part === '..' || part === '')) return '..';
    // GDAL's OAPIF client (3.6) writes a date bound as "2021-02-01T"; it can only mean the date.
    const bound = /^\d{4}-\d{2}-\d{2}T$/.test(part) ? part.slice(0, -1) : part;
    return instantLiteral(bound) ?? fail('INVALID_DATETIME', `datetime "${shown}": "${part.slice(0, 40)}" is not an RFC 3339 date-time or date`);
  });
  if (bounds.length === 1) return bounds[0] as Cql2.DateLiteral | Cql2.TimestampLiteral;
  const [start, end] = bounds as [Cql2.IntervalBound, Cql2.IntervalBound];
  if (start !== '..' && end !== '..' && boundTime(start) > boundTime(end)) fail('INVALID_DATETIME', `datetime "${shown}" ends before it starts`);
  return { interval: [start, end] };
}

function boundTime(bound: Cql2.IntervalBound): number {
  if (typeof bound === 'object' && 'date' in bound) return Date.parse(`${bound.date}T00:00:00Z`);
  if (typeof bound === 'object' && 'timestamp' in bound) return Date.parse(bound.timestamp);
  return Number.NaN;
}
