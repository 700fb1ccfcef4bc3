/**
 * Search order and keyset paging. Results are ordered by the requested sort keys, then by collection and
 * id, so the order is total; a page's `next` token holds the sort-key values of its last item, and the
 * next page starts strictly after them. Inserts and deletes between pages never shift what a token points
 * at (no OFFSET), and each page costs the same however deep it is.
 */
import { MeridianError, sha256Hex } from '@meridian/core';
import { SQL_TYPE_OF, type PropertyResolver, type ScalarKind, type SqlParams } from '@meridian/catalog';
import { ITEM_ALIAS, propertyName } from './property-sql.ts';
import type { SortField } from './request.ts';

export interface OrderKey {
  /** The sort field as named (for the token's fingerprint). */
  name: string;
  sql: string;
  kind: ScalarKind;
  direction: 'asc' | 'desc';
  /** Keys over NOT NULL columns allow the simpler, index-friendly row comparison. */
  notNull: boolean;
}

const NOT_NULL_COLUMNS: ReadonlySet<string> = new Set(['id', 'collection', 'datetime', 'start_datetime', 'end_datetime']);

/** Newest first, as STAC APIs usually answer. */
const DEFAULT_ORDER: SortField[] = [
  { field: 'datetime', direction: 'desc' },
  { field: 'collection', direction: 'desc' },
  { field: 'id', direction: 'desc' },
];

export function orderKeys(sortby: readonly SortField[] | undefined, resolve: PropertyResolver): OrderKey[] {
  const fields = sortby && sortby.length > 0 ? [...sortby] : [...DEFAULT_ORDER];
  const names = new Set(fields.map((f) => propertyName(f.field)));
  // collection and id make the order total.
  for (const tieBreaker of ['collection', 'id']) if (!names.has(tieBreaker)) fields.push({ field: tieBreaker, direction: 'asc' });
  return fields.map((field) => {
    const name = propertyName(field.field);
    const resolved = resolve(field.field);
    if (!resolved) {
      throw new MeridianError('UNKNOWN_PROPERTY', `sortby: unknown property '${field.field.slice(0, 100)}'; the queryables list what can be sorted`, { field: 'sortby' });
    }
    if (resolved.type.kind === 'geometry' || resolved.type.kind === 'array') {
      throw new MeridianError('VALIDATION_ERROR', `sortby: '${name.slice(0, 100)}' cannot be sorted (only strings, numbers, booleans and date-times)`, { field: 'sortby' });
    }
    return { name, sql: resolved.sql, kind: resolved.type.kind, direction: field.direction, notNull: NOT_NULL_COLUMNS.has(name) && resolved.sql === `${ITEM_ALIAS}.${name}` };
  });
}

export function orderBySql(keys: readonly OrderKey[]): string {
  return keys.map((k) => `${k.sql} ${k.direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
}

/** The key values of a row, selected as JSON so timestamps keep their microseconds. */
export function keyColumnsSql(keys: readonly OrderKey[]): string {
  return keys.map((k, i) => `to_jsonb(${k.sql}) AS k${i}`).join(', ');
}

function fingerprint(keys: readonly OrderKey[]): string {
  return sha256Hex(JSON.stringify(keys.map((k) => [k.name, k.direction]))).slice(0, 12);
}

export function encodeToken(keys: readonly OrderKey[], values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ o: fingerprint(keys), v: values })).toString('base64url');
}

function decodeToken(keys: readonly OrderKey[], token: string): unknown[] {
  let decoded: { o?: unknown; v?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof decoded;
  } catch {
    throw new MeridianError('INVALID_PAGING_TOKEN');
  }
  const values = decoded?.v;
  if (decoded?.o !== fingerprint(keys) || !Array.isArray(values) || values.length !== keys.length) {
    throw new MeridianError('INVALID_PAGING_TOKEN', 'the paging token does not belong to this search (its sort order differs)');
  }
  values.forEach((value, i) => {
    const kind = keys[i]!.kind;
    const ok = value === null
      || (kind === 'string' && typeof value === 'string')
      || ((kind === 'number' || kind === 'integer') && typeof value === 'number')
      || (kind === 'boolean' && typeof value === 'boolean')
      || ((kind === 'timestamp' || kind === 'date') && typeof value === 'string' && !Number.isNaN(Date.parse(value)));
    if (!ok) throw new MeridianError('INVALID_PAGING_TOKEN');
  });
  return values;
}

/**
 * The condition "after the row whose keys were `values`" in the order of `keys` (ASC sorts NULLs last,
 * DESC first, as PostgreSQL does by default).
 */
export function afterTokenSql(keys: readonly OrderKey[], token: string, params: SqlParams): string {
  const values = decodeToken(keys, token);
  const value = (i: number) => `${params.add(values[i])}::${SQL_TYPE_OF[keys[i]!.kind]}`;
  const sameDirection = keys.every((k) => k.direction === keys[0]!.direction);
  if (sameDirection && keys.every((k, i) => k.notNull && values[i] !== null)) {
    const op = keys[0]!.direction === 'desc' ? '<' : '>';
    return `((${keys.map((k) => k.sql).join(', ')}) ${op} (${keys.map((_, i) => value(i)).join(', ')}))`;
  }
  const equal = (i: number) => (values[i] === null ? `${keys[i]!.sql} IS NULL` : `${keys[i]!.sql} = ${value(i)}`);
  const after = (i: number): string => {
    const key = keys[i]!;
    if (key.direction === 'asc') {
      if (values[i] === null) return 'false';
      return key.notNull ? `${key.sql} > ${value(i)}` : `(${key.sql} > ${value(i)} OR ${key.sql} IS NULL)`;
    }
    return values[i] === null ? `${key.sql} IS NOT NULL` : `${key.sql} < ${value(i)}`;
  };
  const alternatives = keys.map((_, i) => [...keys.slice(0, i).map((__, j) => equal(j)), after(i)].join(' AND '));
  // A bound on the first key alone lets an index on it start at the right place.
  const first = keys[0]!;
  const bound = first.notNull && values[0] !== null ? `${first.sql} ${first.direction === 'desc' ? '<=' : '>='} ${value(0)} AND ` : '';
  return `(${bound}((${alternatives.join(') OR (')})))`;
}
