/**
 * The CQL2 operator names. The AST spells every operator exactly as CQL2 JSON does (e.g. 't_finishedBy',
 * 'isNull'), so a JSON filter maps onto the AST without renaming; text keywords are case-insensitive and are
 * looked up through the upper-case maps below.
 */
export const COMPARISON_OPERATORS = ['=', '<>', '<', '>', '<=', '>='] as const;

export const SPATIAL_OPERATORS = [
  's_contains', 's_crosses', 's_disjoint', 's_equals', 's_intersects', 's_overlaps', 's_touches', 's_within',
] as const;

export const TEMPORAL_OPERATORS = [
  't_after', 't_before', 't_contains', 't_disjoint', 't_during', 't_equals', 't_finishedBy', 't_finishes',
  't_intersects', 't_meets', 't_metBy', 't_overlappedBy', 't_overlaps', 't_startedBy', 't_starts',
] as const;

export const ARRAY_OPERATORS = ['a_containedBy', 'a_contains', 'a_equals', 'a_overlaps'] as const;

export const ARITHMETIC_OPERATORS = ['+', '-', '*', '/', '%', 'div', '^'] as const;

/** Every operator CQL2 JSON defines; any other "op" is a function call. */
export const JSON_OPERATORS: ReadonlySet<string> = new Set<string>([
  'and', 'or', 'not', ...COMPARISON_OPERATORS, 'like', 'between', 'in', 'isNull', 'casei', 'accenti',
  ...SPATIAL_OPERATORS, ...TEMPORAL_OPERATORS, ...ARRAY_OPERATORS, ...ARITHMETIC_OPERATORS,
]);

function byUpperCase<T extends string>(names: readonly T[]): ReadonlyMap<string, T> {
  return new Map(names.map((name) => [name.toUpperCase(), name]));
}

export const SPATIAL_KEYWORDS = byUpperCase(SPATIAL_OPERATORS);
export const TEMPORAL_KEYWORDS = byUpperCase(TEMPORAL_OPERATORS);
export const ARRAY_KEYWORDS = byUpperCase(ARRAY_OPERATORS);

/** Text keywords that can never be a property name unless double-quoted. */
export const OPERATOR_KEYWORDS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'LIKE', 'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'DIV',
]);

/**
 * WKT tags. ENVELOPE is what CQL2 drafts called BBOX (same argument order); it is accepted so filters written
 * against those drafts keep working.
 */
export const GEOMETRY_KEYWORDS: ReadonlySet<string> = new Set([
  'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'BBOX', 'ENVELOPE',
]);

/**
 * Keywords that only act as keywords in front of "(" in text, so a queryable named e.g. `date` still works
 * unquoted. A JSON function may not use these names either: it could not be written in text.
 */
export const CALL_KEYWORDS: ReadonlySet<string> = new Set([
  'CASEI', 'ACCENTI', 'DATE', 'TIMESTAMP', 'INTERVAL',
  ...SPATIAL_KEYWORDS.keys(), ...TEMPORAL_KEYWORDS.keys(), ...ARRAY_KEYWORDS.keys(), ...GEOMETRY_KEYWORDS,
]);

export function isOneOf<T extends string>(names: readonly T[], value: string): value is T {
  return (names as readonly string[]).includes(value);
}
