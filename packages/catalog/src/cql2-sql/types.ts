/**
 * What the CQL2 compiler knows about the values it combines. A caller (OGC Features over table columns, STAC
 * search over JSON properties) describes each property it exposes with a SQL expression and a ValueType;
 * the compiler checks every operator against these types, so a type mismatch is a 400 at compile time
 * rather than an SQL error at run time.
 */
import type { CrsDefinition } from '../crs.ts';
import type { SqlParams } from '../sql-params.ts';

/** `timestamp` values are SQL `timestamptz`; `date` values are SQL `date`. */
export type ScalarKind = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp';

export type ValueType =
  | { kind: ScalarKind }
  | { kind: 'geometry' }
  /** `sqlType` is the SQL array type (e.g. `text[]`), written into casts; it must come from a fixed list. */
  | { kind: 'array'; element: ScalarKind; sqlType: string };

export interface ResolvedProperty {
  /** A SQL expression of the type `type` describes (a quoted column, a JSON path with a cast, ...). */
  sql: string;
  type: ValueType;
}

/** Returns undefined for a property the caller does not expose; the compiler then answers UNKNOWN_PROPERTY. */
export type PropertyResolver = (name: string) => ResolvedProperty | undefined;

export interface Cql2SqlOptions {
  resolve: PropertyResolver;
  /** Receives every literal of the filter; the returned SQL refers to them by placeholder. */
  params: SqlParams;
  /** The CRS of geometry literals in the filter (OGC `filter-crs`); CRS84 when absent. */
  literalCrs?: CrsDefinition;
}

/** A compiled value: SQL text and the type it evaluates to. */
export interface Typed {
  sql: string;
  type: ValueType;
}

export const SQL_TYPE_OF: Record<ScalarKind, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

export function describeType(type: ValueType): string {
  return type.kind === 'array' ? `an array of ${type.element} values` : `a ${type.kind} value`;
}
