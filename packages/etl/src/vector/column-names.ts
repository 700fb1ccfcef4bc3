/**
 * Attribute names as columns: the one slug rule (lower-case `[a-z0-9_]`, `t_` before a leading digit,
 * at most 63 characters) after folding accents ("Prénom" → "prenom"), then made safe to use unquoted —
 * no SQL reserved word, no system column, none of the columns every loaded table has — and unique.
 * The original names are kept beside the sanitized ones (catalog `columns[].original_name`).
 */
import { postgresSlug } from '@meridian/core';

/** The feature id column: the position of the feature in the source, from 1. */
export const ID_COLUMN = 'ogc_fid';
export const GEOMETRY_COLUMN = 'geom';
/** The chunk a row was loaded in: a retried chunk deletes its batch before it loads it again. */
export const BATCH_COLUMN = 'etl_batch_id';

/** PostgreSQL's reserved key words (also those allowed only as function or type names) and system columns. */
const RESERVED: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'authorization', 'binary', 'both',
  'case', 'cast', 'check', 'collate', 'collation', 'column', 'concurrently', 'constraint', 'create', 'cross',
  'current_catalog', 'current_date', 'current_role', 'current_schema', 'current_time', 'current_timestamp',
  'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch',
  'for', 'foreign', 'freeze', 'from', 'full', 'grant', 'group', 'having', 'ilike', 'in', 'initially', 'inner',
  'intersect', 'into', 'is', 'isnull', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime',
  'localtimestamp', 'natural', 'not', 'notnull', 'null', 'offset', 'on', 'only', 'or', 'order', 'outer',
  'overlaps', 'placing', 'primary', 'references', 'returning', 'right', 'select', 'session_user', 'similar',
  'some', 'symmetric', 'system_user', 'table', 'tablesample', 'then', 'to', 'trailing', 'true', 'union', 'unique',
  'user', 'using', 'variadic', 'verbose', 'when', 'where', 'window', 'with',
  'oid', 'tableoid', 'xmin', 'xmax', 'cmin', 'cmax', 'ctid',
  ID_COLUMN, GEOMETRY_COLUMN, BATCH_COLUMN,
]);

const MAX_LENGTH = 63;

/** Latin letters Unicode does not decompose into a base letter and a mark. */
const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'TH' };

function foldAccents(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[ßæÆœŒøØłŁđĐþÞ]/g, (c) => LETTERS[c]!);
}

/** `base` with `suffix`, the base shortened so the whole stays within 63 characters. */
function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, MAX_LENGTH - suffix.length)}${suffix}`;
}

/** Sanitized, unique column names for the attributes, in the same order. */
export function sanitizeColumnNames(originals: readonly string[]): string[] {
  const taken = new Set<string>();
  return originals.map((original, index) => {
    let base = postgresSlug(foldAccents(original));
    if (base === '') base = `column_${index + 1}`;
    if (RESERVED.has(base)) base = withSuffix(base, '_');
    let name = base;
    for (let n = 2; taken.has(name); n++) name = withSuffix(base, `_${n}`);
    taken.add(name);
    return name;
  });
}
