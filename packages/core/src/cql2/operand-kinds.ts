/**
 * Which expressions may stand where. Both parsers build a node first and then check it against the kind the
 * position demands, so text and JSON reject the same things with the same words.
 * A property or function call fits every value kind: its type is only known from the data.
 */
import type {
  ArrayExpression,
  BooleanExpression,
  CharacterExpression,
  Expression,
  IntervalBound,
  NumericExpression,
  Predicate,
  ScalarExpression,
  SpatialExpression,
  TemporalExpression,
} from './ast.ts';
import { excerpt } from './cql2-errors.ts';

export interface OperandKind<T extends Expression> {
  /** Completes "expected ...". */
  readonly expected: string;
  matches(node: Expression): node is T;
}

function isPredicate(node: Expression): node is Predicate {
  return 'op' in node;
}

function isReference(node: Expression): boolean {
  return 'property' in node || 'function' in node;
}

export const BOOLEAN: OperandKind<BooleanExpression> = {
  expected: 'a boolean expression (a predicate, TRUE, FALSE or a function call)',
  matches: (node): node is BooleanExpression =>
    isPredicate(node) || 'function' in node || ('literal' in node && typeof node.literal === 'boolean'),
};

export const SCALAR: OperandKind<ScalarExpression> = {
  expected: 'a scalar value (a string, number, boolean, date, timestamp, property, function call or arithmetic)',
  matches: (node): node is ScalarExpression =>
    'literal' in node || 'casei' in node || 'accenti' in node || 'date' in node || 'timestamp' in node ||
    'arith' in node || isReference(node),
};

export const CHARACTER: OperandKind<CharacterExpression> = {
  expected: 'a character expression (a string, CASEI(), ACCENTI(), a property or a function call)',
  matches: (node): node is CharacterExpression =>
    ('literal' in node && typeof node.literal === 'string') || 'casei' in node || 'accenti' in node || isReference(node),
};

export const NUMERIC: OperandKind<NumericExpression> = {
  expected: 'a numeric expression (a number, arithmetic, a property or a function call)',
  matches: (node): node is NumericExpression =>
    ('literal' in node && typeof node.literal === 'number') || 'arith' in node || isReference(node),
};

export const SPATIAL: OperandKind<SpatialExpression> = {
  expected: 'a spatial expression (a geometry, a BBOX, a property or a function call)',
  matches: (node): node is SpatialExpression => 'geometry' in node || 'bbox' in node || isReference(node),
};

export const TEMPORAL: OperandKind<TemporalExpression> = {
  expected: 'a temporal expression (DATE(), TIMESTAMP(), INTERVAL(), a property or a function call)',
  matches: (node): node is TemporalExpression =>
    'date' in node || 'timestamp' in node || 'interval' in node || isReference(node),
};

export const ARRAY: OperandKind<ArrayExpression> = {
  expected: 'an array (a parenthesized list in text, a JSON array), a property or a function call',
  matches: (node): node is ArrayExpression => 'array' in node || isReference(node),
};

export const INTERVAL_BOUND: OperandKind<Exclude<IntervalBound, '..'>> = {
  expected: "an interval bound (a date or timestamp string, '..', a property or a function call)",
  matches: (node): node is Exclude<IntervalBound, '..'> => 'date' in node || 'timestamp' in node || isReference(node),
};

/** How an error message names what it found. */
export function describeExpression(node: Expression): string {
  if (isPredicate(node)) return `a '${node.op}' predicate`;
  if ('literal' in node) {
    if (typeof node.literal === 'string') return 'a string';
    return typeof node.literal === 'number' ? 'a number' : 'a boolean';
  }
  if ('property' in node) return `the property '${excerpt(node.property)}'`;
  if ('function' in node) return `a call to '${excerpt(node.function)}'`;
  if ('geometry' in node) return 'a geometry';
  if ('bbox' in node) return 'a bbox';
  if ('date' in node) return 'a date';
  if ('timestamp' in node) return 'a timestamp';
  if ('interval' in node) return 'an interval';
  if ('array' in node) return 'an array';
  if ('casei' in node) return 'CASEI()';
  if ('accenti' in node) return 'ACCENTI()';
  return 'arithmetic';
}
