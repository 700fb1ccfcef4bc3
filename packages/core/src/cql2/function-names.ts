/** Which names may be called as (non-built-in) CQL2 functions, in either encoding. */
import { excerpt } from './cql2-errors.ts';
import { isIdentifier } from './lexer.ts';
import { CALL_KEYWORDS, JSON_OPERATORS, OPERATOR_KEYWORDS } from './operators.ts';

/** What a caller can tell either parser. */
export interface Cql2ParseOptions {
  /**
   * The function names the caller can evaluate (case-sensitive). When given, a call to any other function is
   * CQL2_INVALID at parse time, with its position; when absent, any function name parses and the compiler
   * must check it.
   */
  functions?: ReadonlySet<string>;
}

const JSON_OPERATOR_BY_LOWER_CASE = new Map([...JSON_OPERATORS].map((op) => [op.toLowerCase(), op]));

/**
 * Why `name` cannot be called as a function, or undefined. In JSON every unknown "op" reaches this check, so
 * misspelled operators ('AND', 't_finishedby', '!=') are reported as such rather than as unknown functions;
 * names that text could not write as a call (keywords, non-identifiers) are refused in JSON too, so a filter
 * always has both encodings.
 */
export function functionNameProblem(name: string, options: Cql2ParseOptions): string | undefined {
  const shown = excerpt(name);
  if (name === '!=') return "unknown operator '!='; did you mean '<>'?";
  if (!isIdentifier(name)) return `unknown operator '${shown}'`;
  const operator = JSON_OPERATOR_BY_LOWER_CASE.get(name.toLowerCase());
  if (operator === name) return `'${shown}' is a CQL2 operator, not a function`;
  if (operator !== undefined) return `unknown operator '${shown}'; did you mean '${operator}'?`;
  const upper = name.toUpperCase();
  if (OPERATOR_KEYWORDS.has(upper) || CALL_KEYWORDS.has(upper)) return `'${shown}' is a reserved CQL2 word, not a function`;
  if (options.functions === undefined || options.functions.has(name)) return undefined;
  const known = [...options.functions].sort().join(', ');
  return `unknown function '${shown}' (known functions: ${known === '' ? 'none' : known})`;
}
