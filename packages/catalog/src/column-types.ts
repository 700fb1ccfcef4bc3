/**
 * How each PostgreSQL column type of a published table is filtered, written to GeoJSON and written to a
 * vector tile. Types come from the database catalog (format_type), never from a request; only the array
 * types listed here are ever written into a cast.
 */
import type { ScalarKind, ValueType } from './cql2-sql/types.ts';

export interface ColumnSpec {
  /** The type as CQL2 sees it; undefined for types a filter cannot use (json, bytea, ...). */
  type: ValueType | undefined;
  /** The SQL value the filter compares, given the quoted column reference. */
  filterSql(ref: string): string;
  /** The value as it goes into GeoJSON properties (through row_to_json). */
  jsonSql(ref: string): string;
  /** The value as it goes into an MVT attribute: only text, numbers and booleans exist there. */
  tileSql(ref: string): string;
  /** The JSON Schema of the queryable. */
  schema: Record<string, unknown>;
}

/** RFC 3339 in UTC with the fraction only as long as needed, whatever the session's TimeZone. */
export function isoTimestampSql(timestamptzSql: string): string {
  return `(regexp_replace(to_char((${timestamptzSql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '\\.?0+$', '') || 'Z')`;
}

const SCALARS: Record<string, ScalarKind> = {
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  real: 'number',
  'double precision': 'number',
  numeric: 'number',
  text: 'string',
  'character varying': 'string',
  character: 'string',
  boolean: 'boolean',
  date: 'date',
  'timestamp with time zone': 'timestamp',
  'timestamp without time zone': 'timestamp',
};

/** The SQL array types a filter may cast literals to, by element type name. */
const ARRAY_SQL_TYPES: Record<string, string> = {
  smallint: 'smallint[]',
  integer: 'integer[]',
  bigint: 'bigint[]',
  real: 'real[]',
  'double precision': 'double precision[]',
  numeric: 'numeric[]',
  text: 'text[]',
  'character varying': 'varchar[]',
  character: 'bpchar[]',
  boolean: 'boolean[]',
  date: 'date[]',
  'timestamp with time zone': 'timestamptz[]',
};

const SCHEMAS: Record<ScalarKind, Record<string, unknown>> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  timestamp: { type: 'string', format: 'date-time' },
};

/** "character varying(20)" → "character varying"; "numeric(10,2)[]" → "numeric[]". */
function baseName(pgType: string): string {
  return pgType.replace(/\(\d+(,\d+)?\)/g, '');
}

const identity = (ref: string) => ref;

export function columnSpec(pgType: string): ColumnSpec {
  const base = baseName(pgType);
  const scalar = SCALARS[base];
  if (scalar !== undefined) {
    // A timestamp without time zone is read as UTC, like every other instant Meridian stores.
    const naive = base === 'timestamp without time zone';
    const asTimestamptz = (ref: string) => (naive ? `(${ref} AT TIME ZONE 'UTC')` : ref);
    const output = scalar === 'timestamp' ? (ref: string) => isoTimestampSql(asTimestamptz(ref)) : identity;
    const tile: Record<ScalarKind, (ref: string) => string> = {
      string: identity,
      integer: identity,
      number: (ref) => `(${ref})::double precision`,
      boolean: identity,
      date: (ref) => `to_char(${ref}, 'YYYY-MM-DD')`,
      timestamp: output,
    };
    return { type: { kind: scalar }, filterSql: asTimestamptz, jsonSql: output, tileSql: tile[scalar], schema: SCHEMAS[scalar] };
  }
  const element = base.endsWith('[]') ? base.slice(0, -2) : undefined;
  const elementKind = element === undefined ? undefined : SCALARS[element];
  const sqlType = element === undefined ? undefined : ARRAY_SQL_TYPES[element];
  const asText = (ref: string) => `(${ref})::text`;
  if (elementKind !== undefined && sqlType !== undefined) {
    return {
      type: { kind: 'array', element: elementKind, sqlType },
      filterSql: identity,
      jsonSql: identity,
      tileSql: (ref) => `to_json(${ref})::text`,
      schema: { type: 'array', items: SCHEMAS[elementKind] },
    };
  }
  // json, jsonb, uuid, bytea, ...: published as they are, not filterable.
  return { type: undefined, filterSql: identity, jsonSql: identity, tileSql: asText, schema: {} };
}
