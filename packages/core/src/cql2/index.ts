/**
 * OGC CQL2 (21-065, 1.0): cql2-text and cql2-json filters parsed to one AST (see ast.ts; exported as the
 * type namespace `Cql2`, e.g. `Cql2.Expression`, so its short names do not collide with the rest of core).
 */
import type { BooleanExpression } from './ast.ts';
import type { Cql2ParseOptions } from './function-names.ts';
import { MeridianError } from '../meridian-error.ts';
import { parseCql2Json } from './parse-json.ts';
import { parseCql2Text } from './parse-text.ts';

export type * as Cql2 from './ast.ts';
export type { Cql2ParseOptions } from './function-names.ts';
export { MAX_FILTER_BYTES as CQL2_MAX_FILTER_BYTES, MAX_NESTING_DEPTH as CQL2_MAX_NESTING_DEPTH } from './limits.ts';
export { cql2ConformanceClasses } from './conformance.ts';
export { propertiesOf } from './properties-of.ts';
export { parseCql2Json, parseCql2Text };

/** The values of the OGC `filter-lang` parameter. */
export type Cql2Language = 'cql2-text' | 'cql2-json';

/** Parses a filter in either encoding; cql2-json also takes the already-parsed JSON value. */
export function parseCql2(input: unknown, lang: Cql2Language, options: Cql2ParseOptions = {}): BooleanExpression {
  if (lang === 'cql2-json') return parseCql2Json(input, options);
  if (typeof input !== 'string') throw new MeridianError('CQL2_INVALID', 'a cql2-text filter must be a string');
  return parseCql2Text(input, options);
}
