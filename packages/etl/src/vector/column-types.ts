/**
 * OGR field types → PostgreSQL column types. The values arrive in COPY text from GDAL's PGDUMP writer
 * (dates as 2020/01/31, lists as array literals, booleans as 1/0), which PostgreSQL reads as these types
 * directly; only date-times without an offset need one (they are UTC, like every instant Meridian stores).
 */

/** An attribute as ogrinfo reports it: `name: Type(Subtype) (width.precision)`. */
export interface OgrField {
  name: string;
  type: string;
  subtype: string | null;
}

const SCALARS: Record<string, string> = {
  Integer: 'integer',
  Integer64: 'bigint',
  Real: 'double precision',
  String: 'text',
  WideString: 'text',
  Date: 'date',
  DateTime: 'timestamp with time zone',
  // A time of day without a date: kept as its text (HH:MM:SS), which every client reads.
  Time: 'text',
  Binary: 'bytea',
};

const LISTS: Record<string, string> = {
  IntegerList: 'integer[]',
  Integer64List: 'bigint[]',
  RealList: 'double precision[]',
  StringList: 'text[]',
  WideStringList: 'text[]',
};

/** The column type of an attribute; a type GDAL adds later is kept as text rather than refused. */
export function pgColumnType(field: OgrField): string {
  if (field.subtype === 'Boolean') return field.type.endsWith('List') ? 'boolean[]' : 'boolean';
  if (field.subtype === 'JSON' && field.type === 'String') return 'jsonb';
  if (field.subtype === 'Int16' && field.type === 'Integer') return 'smallint';
  if (field.subtype === 'Float32' && field.type === 'Real') return 'real';
  return SCALARS[field.type] ?? LISTS[field.type] ?? 'text';
}

export const TEMPORAL_TYPES: ReadonlySet<string> = new Set(['date', 'timestamp with time zone']);

const HAS_OFFSET = /(?:[+-]\d\d(?::?\d\d)?|Z)$/;

/** A DateTime value without a UTC offset, as UTC (PostgreSQL would read it in the session's zone). */
export function asUtcTimestamp(value: string): string {
  return HAS_OFFSET.test(value) ? value : `${value}+00`;
}
