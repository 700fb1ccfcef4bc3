/**
 * Bounds on what a filter may be, so hostile input fails with CQL2_INVALID instead of exhausting memory or the
 * call stack (here or in a compiler that walks the AST recursively).
 */
import { MeridianError } from '../meridian-error.ts';
import { jsonError } from './cql2-errors.ts';

export const MAX_FILTER_BYTES = 64 * 1024;

/**
 * Maximum nesting: parentheses, NOT, unary minus, function/predicate/array argument lists, JSON expression
 * objects, and each further operator in an arithmetic chain (which builds a tree one level deeper per operator).
 */
export const MAX_NESTING_DEPTH = 100;

/** A JSON document of at most MAX_FILTER_BYTES cannot hold more values than it has bytes. */
const MAX_JSON_VALUES = MAX_FILTER_BYTES;

export function checkFilterSize(text: string): void {
  // UTF-8 never takes fewer bytes than UTF-16 code units, so the cheap test settles most inputs.
  if (text.length > MAX_FILTER_BYTES || new TextEncoder().encode(text).byteLength > MAX_FILTER_BYTES) {
    throw new MeridianError('CQL2_INVALID', `the filter is longer than ${MAX_FILTER_BYTES} bytes`);
  }
}

/** Counts the values of a JSON filter handed over already parsed, whose byte size is unknown. */
export class JsonValueBudget {
  private left = MAX_JSON_VALUES;

  spend(values: number, path: string): void {
    this.left -= values;
    if (this.left < 0) throw jsonError(`the filter has more than ${MAX_JSON_VALUES} values`, path);
  }
}
