/**
 * CQL2 JSON → AST. Validates as strictly as the text grammar: objects may only have the members their kind
 * defines, operators must have their exact arity, and every operand is checked against the kind its position
 * demands (operand-kinds.ts), so both encodings accept and reject the same filters.
 */
import { MeridianError } from '../meridian-error.ts';
import type {
  BboxLiteral,
  BooleanExpression,
  Expression,
  IntervalBound,
  IntervalLiteral,
  PatternExpression,
  ScalarExpression,
} from './ast.ts';
import { excerpt, jsonError } from './cql2-errors.ts';
import { functionNameProblem, type Cql2ParseOptions } from './function-names.ts';
import { bboxProblem, type Bbox } from './geometry.ts';
import { checkFilterSize, JsonValueBudget, MAX_NESTING_DEPTH } from './limits.ts';
import {
  canonicalDate,
  canonicalNumber,
  canonicalTimestamp,
  DATE_FORMAT,
  intervalBoundFromString,
  TIMESTAMP_FORMAT,
} from './literals.ts';
import { logical } from './logical.ts';
import {
  ARRAY,
  BOOLEAN,
  CHARACTER,
  describeExpression,
  INTERVAL_BOUND,
  NUMERIC,
  SCALAR,
  SPATIAL,
  TEMPORAL,
  type OperandKind,
} from './operand-kinds.ts';
import {
  ARITHMETIC_OPERATORS,
  ARRAY_OPERATORS,
  COMPARISON_OPERATORS,
  isOneOf,
  SPATIAL_OPERATORS,
  TEMPORAL_OPERATORS,
} from './operators.ts';
import { geometryFromJson, isRecord } from './parse-geojson.ts';

/**
 * Parses a cql2-json filter: either the parsed JSON value, or a string holding JSON text (a CQL2 JSON filter is
 * never a bare string, so a string is unambiguous). Throws MeridianError CQL2_INVALID with `path`, a JSON Pointer.
 */
export function parseCql2Json(input: unknown, options: Cql2ParseOptions = {}): BooleanExpression {
  const value = typeof input === 'string' ? parseJsonText(input) : input;
  const parser = new JsonParser(options);
  return parser.operand(BOOLEAN, value, '', 0);
}

function parseJsonText(text: string): unknown {
  checkFilterSize(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MeridianError('CQL2_INVALID', `the filter is not valid JSON: ${(error as Error).message}`);
  }
}

/** How a message names a JSON value it rejects (never serialized: it may be huge or cyclic). */
function shown(value: unknown): string {
  if (typeof value === 'string') return `'${excerpt(value)}'`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A JSON Pointer (RFC 6901) to a member or item below `path`. */
function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function onlyMembers(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw jsonError(`unexpected member '${excerpt(key)}' (allowed here: ${allowed.join(', ')})`, pointer(path, key));
  }
}

class JsonParser {
  private readonly budget = new JsonValueBudget();

  constructor(private readonly options: Cql2ParseOptions) {}

  operand<T extends Expression>(kind: OperandKind<T>, value: unknown, path: string, depth: number): T {
    const node = this.expression(value, path, depth);
    if (kind.matches(node)) return node;
    throw jsonError(`expected ${kind.expected}, found ${describeExpression(node)}`, path);
  }

  private enter(path: string, depth: number): void {
    if (depth > MAX_NESTING_DEPTH) throw jsonError(`the filter nests more than ${MAX_NESTING_DEPTH} levels deep`, path);
    this.budget.spend(1, path);
  }

  private expression(value: unknown, path: string, depth: number): Expression {
    this.enter(path, depth);
    switch (typeof value) {
      case 'boolean':
      case 'string':
        return { literal: value };
      case 'number':
        if (!Number.isFinite(value)) throw jsonError('numbers must be finite', path);
        return { literal: canonicalNumber(value) };
    }
    if (Array.isArray(value)) return { array: value.map((item, i) => this.expression(item, pointer(path, i), depth + 1)) };
    if (value === null) throw jsonError('null is not a CQL2 expression (test for null with {"op": "isNull", "args": [...]})', path);
    if (!isRecord(value)) throw jsonError(`${shown(value)} is not a CQL2 expression`, path);
    return this.object(value, path, depth);
  }

  private object(value: Record<string, unknown>, path: string, depth: number): Expression {
    const has = (key: string): boolean => Object.hasOwn(value, key);
    if (has('op')) return this.operation(value, path, depth);
    if (has('property')) {
      onlyMembers(value, ['property'], path);
      if (typeof value.property !== 'string' || value.property === '') throw jsonError('"property" must be a non-empty string', pointer(path, 'property'));
      return { property: value.property };
    }
    if (has('type')) return { geometry: geometryFromJson(value, path, this.budget) };
    if (has('bbox')) return this.bbox(value, path);
    if (has('date')) {
      onlyMembers(value, ['date'], path);
      return { date: this.instant(value.date, canonicalDate, `date ${DATE_FORMAT}`, pointer(path, 'date')) };
    }
    if (has('timestamp')) {
      onlyMembers(value, ['timestamp'], path);
      return { timestamp: this.instant(value.timestamp, canonicalTimestamp, `timestamp ${TIMESTAMP_FORMAT}`, pointer(path, 'timestamp')) };
    }
    if (has('interval')) return this.interval(value, path, depth);
    const found = Object.keys(value).slice(0, 5).map((key) => `'${excerpt(key)}'`).join(', ') || 'no members';
    throw jsonError(`not a CQL2 expression: found ${found}; expected an object with "op", "property", "type" (GeoJSON), "bbox", "date", "timestamp" or "interval"`, path);
  }

  private operation(value: Record<string, unknown>, path: string, depth: number): Expression {
    onlyMembers(value, ['op', 'args'], path);
    const op = value.op;
    if (typeof op !== 'string') throw jsonError('"op" must be a string', pointer(path, 'op'));
    const args = value.args;
    const argsPath = pointer(path, 'args');
    if (!Array.isArray(args)) throw jsonError(`"args" of '${excerpt(op)}' must be an array`, argsPath);
    const arity = (count: number): void => {
      if (args.length !== count) throw jsonError(`'${op}' takes ${count} argument${count === 1 ? '' : 's'}, found ${args.length}`, argsPath);
    };
    const arg = <T extends Expression>(kind: OperandKind<T>, i: number): T => this.operand(kind, args[i], pointer(argsPath, i), depth + 1);

    switch (op) {
      case 'and':
      case 'or':
        if (args.length < 2) throw jsonError(`'${op}' takes at least 2 arguments, found ${args.length}`, argsPath);
        return logical(op, args.map((_, i) => arg(BOOLEAN, i)));
      case 'not':
        arity(1);
        return { op: 'not', arg: arg(BOOLEAN, 0) };
      case 'like':
        arity(2);
        return { op: 'like', args: [arg(CHARACTER, 0), this.pattern(args[1], pointer(argsPath, 1), depth + 1)] };
      case 'between':
        arity(3);
        return { op: 'between', args: [arg(NUMERIC, 0), arg(NUMERIC, 1), arg(NUMERIC, 2)] };
      case 'in':
        arity(2);
        return { op: 'in', args: [arg(SCALAR, 0), this.inList(args[1], pointer(argsPath, 1), depth + 1)] };
      case 'isNull':
        arity(1);
        return { op: 'isNull', arg: this.expression(args[0], pointer(argsPath, 0), depth + 1) };
      case 'casei':
        arity(1);
        return { casei: arg(CHARACTER, 0) };
      case 'accenti':
        arity(1);
        return { accenti: arg(CHARACTER, 0) };
    }
    if (isOneOf(COMPARISON_OPERATORS, op)) {
      arity(2);
      return { op, args: [arg(SCALAR, 0), arg(SCALAR, 1)] };
    }
    if (isOneOf(SPATIAL_OPERATORS, op)) {
      arity(2);
      return { op, args: [arg(SPATIAL, 0), arg(SPATIAL, 1)] };
    }
    if (isOneOf(TEMPORAL_OPERATORS, op)) {
      arity(2);
      return { op, args: [arg(TEMPORAL, 0), arg(TEMPORAL, 1)] };
    }
    if (isOneOf(ARRAY_OPERATORS, op)) {
      arity(2);
      return { op, args: [arg(ARRAY, 0), arg(ARRAY, 1)] };
    }
    if (isOneOf(ARITHMETIC_OPERATORS, op)) {
      arity(2);
      return { arith: op, args: [arg(NUMERIC, 0), arg(NUMERIC, 1)] };
    }
    const problem = functionNameProblem(op, this.options);
    if (problem !== undefined) throw jsonError(problem, pointer(path, 'op'));
    return { function: op, args: args.map((item, i) => this.expression(item, pointer(argsPath, i), depth + 1)) };
  }

  private pattern(value: unknown, path: string, depth: number): PatternExpression {
    this.enter(path, depth);
    if (typeof value === 'string') return { literal: value };
    if (isRecord(value) && Object.hasOwn(value, 'op') && (value.op === 'casei' || value.op === 'accenti')) {
      onlyMembers(value, ['op', 'args'], path);
      const args = value.args;
      if (!Array.isArray(args) || args.length !== 1) throw jsonError(`'${value.op}' takes 1 argument`, pointer(path, 'args'));
      const inner = this.pattern(args[0], pointer(pointer(path, 'args'), 0), depth + 1);
      return value.op === 'casei' ? { casei: inner } : { accenti: inner };
    }
    throw jsonError('expected a LIKE pattern: a string, optionally wrapped in casei or accenti', path);
  }

  private inList(value: unknown, path: string, depth: number): ScalarExpression[] {
    this.enter(path, depth);
    if (!Array.isArray(value)) throw jsonError("the second argument of 'in' must be an array of values", path);
    if (value.length === 0) throw jsonError("the list of 'in' needs at least one value", path);
    return value.map((item, i) => this.operand(SCALAR, item, pointer(path, i), depth + 1));
  }

  private bbox(value: Record<string, unknown>, path: string): BboxLiteral {
    onlyMembers(value, ['bbox'], path);
    const bboxPath = pointer(path, 'bbox');
    const numbers = value.bbox;
    if (!Array.isArray(numbers) || (numbers.length !== 4 && numbers.length !== 6)) throw jsonError('"bbox" must be an array of 4 or 6 numbers', bboxPath);
    numbers.forEach((n, i) => {
      if (typeof n !== 'number' || !Number.isFinite(n)) throw jsonError('a bbox coordinate must be a finite number', pointer(bboxPath, i));
    });
    const problem = bboxProblem(numbers as number[]);
    if (problem !== undefined) throw jsonError(problem, bboxPath);
    return { bbox: numbers.map(canonicalNumber) as Bbox };
  }

  private instant(value: unknown, canonical: (text: string) => string | undefined, expected: string, path: string): string {
    const instant = typeof value === 'string' ? canonical(value) : undefined;
    if (instant === undefined) throw jsonError(`${shown(value)} is not a valid ${expected}`, path);
    return instant;
  }

  private interval(value: Record<string, unknown>, path: string, depth: number): IntervalLiteral {
    onlyMembers(value, ['interval'], path);
    const boundsPath = pointer(path, 'interval');
    const bounds = value.interval;
    if (!Array.isArray(bounds) || bounds.length !== 2) throw jsonError('"interval" must be an array of 2 bounds', boundsPath);
    return {
      interval: [
        this.intervalBound(bounds[0], pointer(boundsPath, 0), depth + 1),
        this.intervalBound(bounds[1], pointer(boundsPath, 1), depth + 1),
      ],
    };
  }

  private intervalBound(value: unknown, path: string, depth: number): IntervalBound {
    if (typeof value !== 'string') return this.operand(INTERVAL_BOUND, value, path, depth);
    const bound = intervalBoundFromString(value);
    if (bound !== undefined) return bound;
    throw jsonError(`${shown(value)} is not an interval bound: use a date ${DATE_FORMAT}, a timestamp ${TIMESTAMP_FORMAT} or '..'`, path);
  }
}
