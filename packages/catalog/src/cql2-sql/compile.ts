/**
 * CQL2 AST → a SQL boolean expression with bind parameters. Shared by OGC API Features (properties are
 * table columns) and STAC search (properties are JSON paths): the caller's resolver says what a property
 * is, and the compiler never writes anything else that came from the request into the SQL text.
 */
import { MeridianError, type Cql2 } from '@meridian/core';
import { arrayOperand, arrayPredicate } from './arrays.ts';
import { cql2Error } from './errors.ts';
import {
  accentFold, arithmetic, comparable, dateLiteral, literal, pattern, requireOrdered, requireString, timestampLiteral,
} from './scalars.ts';
import { bboxLiteral, geometryLiteral, spatialPredicate } from './spatial.ts';
import { span, temporalPredicate } from './temporal.ts';
import type { Cql2SqlOptions, Typed } from './types.ts';

const SPATIAL_OPS: ReadonlySet<string> = new Set(['s_contains', 's_crosses', 's_disjoint', 's_equals', 's_intersects', 's_overlaps', 's_touches', 's_within']);
const ARRAY_OPS: ReadonlySet<string> = new Set(['a_containedBy', 'a_contains', 'a_equals', 'a_overlaps']);
const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '<', '>', '<=', '>=']);

/** Compiles a whole filter; the result is a parenthesized SQL boolean expression. */
export function compileCql2(ast: Cql2.BooleanExpression, options: Cql2SqlOptions): string {
  return new Compiler(options).predicate(ast);
}

class Compiler {
  constructor(private readonly options: Cql2SqlOptions) {}

  private readonly valueOf = (node: Cql2.Expression): Typed => this.value(node);

  predicate(node: Cql2.Expression): string {
    if (!('op' in node)) {
      const compiled = this.value(node);
      if (compiled.type.kind !== 'boolean') throw cql2Error('a filter and the operands of AND, OR and NOT must be boolean');
      return compiled.sql;
    }
    switch (node.op) {
      case 'and':
      case 'or':
        return `(${node.args.map((arg) => this.predicate(arg)).join(node.op === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${this.predicate(node.arg)})`;
      case 'like': {
        const subject = requireString(this.value(node.args[0]), "the left side of 'like'");
        return `(${subject.sql} LIKE ${pattern(node.args[1], this.options.params)})`;
      }
      case 'between': {
        const [subject, low, high] = node.args.map(this.valueOf) as [Typed, Typed, Typed];
        requireOrdered([subject, low, high], 'between');
        const [a, lo] = comparable([subject, low], 'between');
        const [b, hi] = comparable([subject, high], 'between');
        return `(${a} >= ${lo} AND ${b} <= ${hi})`;
      }
      case 'in': {
        const [subject, ...list] = comparable([this.value(node.args[0]), ...node.args[1].map(this.valueOf)], 'in');
        return `(${subject} IN (${list.join(', ')}))`;
      }
      case 'isNull':
        return `(${'op' in node.arg ? this.predicate(node.arg) : this.value(node.arg).sql} IS NULL)`;
      default:
        return this.operator(node);
    }
  }

  private operator(node: Exclude<Cql2.Predicate, { op: 'and' | 'or' | 'not' | 'like' | 'between' | 'in' | 'isNull' }>): string {
    if (COMPARISONS.has(node.op)) {
      const operands = (node as Cql2.ComparisonPredicate).args.map(this.valueOf);
      if (node.op !== '=' && node.op !== '<>') requireOrdered(operands, node.op);
      const [left, right] = comparable(operands, node.op);
      return `(${left} ${node.op} ${right})`;
    }
    if (SPATIAL_OPS.has(node.op)) {
      const { op, args } = node as Cql2.SpatialPredicate;
      return spatialPredicate(op, this.value(args[0]), this.value(args[1]));
    }
    if (ARRAY_OPS.has(node.op)) {
      const { op, args } = node as Cql2.ArrayPredicate;
      return arrayPredicate(op, arrayOperand(args[0], this.valueOf, op), arrayOperand(args[1], this.valueOf, op));
    }
    const { op, args } = node as Cql2.TemporalPredicate;
    return temporalPredicate(op, span(args[0], this.valueOf, op), span(args[1], this.valueOf, op));
  }

  value(node: Cql2.Expression): Typed {
    const { params } = this.options;
    if ('op' in node) return { sql: this.predicate(node), type: { kind: 'boolean' } };
    if ('literal' in node) return literal(node.literal, params);
    if ('property' in node) {
      const resolved = this.options.resolve(node.property);
      if (!resolved) {
        throw new MeridianError('UNKNOWN_PROPERTY', `unknown property '${node.property.slice(0, 100)}'; the queryables list the properties a filter can use`, { property: node.property.slice(0, 100) });
      }
      return resolved;
    }
    if ('function' in node) throw cql2Error(`unknown function '${node.function.slice(0, 100)}'; this server offers no CQL2 functions`);
    if ('geometry' in node) return geometryLiteral(node.geometry, params, this.options.literalCrs);
    if ('bbox' in node) return bboxLiteral(node.bbox, params, this.options.literalCrs);
    if ('date' in node) return dateLiteral(node.date, params);
    if ('timestamp' in node) return timestampLiteral(node.timestamp, params);
    if ('casei' in node) return { sql: `lower(${requireString(this.value(node.casei), 'CASEI()').sql})`, type: { kind: 'string' } };
    if ('accenti' in node) return { sql: accentFold(requireString(this.value(node.accenti), 'ACCENTI()').sql), type: { kind: 'string' } };
    if ('arith' in node) return arithmetic(node, this.value(node.args[0]), this.value(node.args[1]));
    if ('interval' in node) throw cql2Error('an INTERVAL() can only be an operand of a temporal operator');
    throw cql2Error('an array can only be an operand of an array operator');
  }
}
