/**
 * The (legacy) query extension, `{"eo:cloud_cover": {"lt": 10}}`, translated into CQL2 so it is evaluated
 * by the same compiler (and type checks) as `filter`.
 */
import { MeridianError, type Cql2 } from '@meridian/core';
import { instantLiteral } from '@meridian/catalog';
import type { Queryables } from '../queryables.ts';
import { propertyName } from './property-sql.ts';

const COMPARISONS: Record<string, Cql2.ComparisonOperator> = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** A LIKE pattern matching `text` literally, with `\` escaping the wildcards. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function literal(value: unknown, timestamp: boolean, where: string): Cql2.ScalarExpression {
  if (timestamp && typeof value === 'string') {
    const instant = instantLiteral(value);
    if (!instant) throw new MeridianError('VALIDATION_ERROR', `query: ${where} needs an RFC 3339 date-time, got "${value.slice(0, 60)}"`, { field: 'query' });
    return instant;
  }
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return { literal: value };
  throw new MeridianError('VALIDATION_ERROR', `query: ${where} needs a string, number or boolean`, { field: 'query' });
}

function stringValue(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new MeridianError('VALIDATION_ERROR', `query: ${where} needs a string`, { field: 'query' });
  return value;
}

export function queryToCql2(query: Record<string, Record<string, unknown>>, queryables: Queryables): Cql2.BooleanExpression | undefined {
  const predicates: Cql2.BooleanExpression[] = [];
  for (const [name, operations] of Object.entries(query)) {
    const property: Cql2.PropertyRef = { property: name };
    const timestamp = queryables[propertyName(name)]?.format === 'date-time';
    for (const [op, value] of Object.entries(operations)) {
      const where = `${name.slice(0, 100)}.${op}`;
      const comparison = COMPARISONS[op];
      if (comparison) {
        predicates.push({ op: comparison, args: [property, literal(value, timestamp, where)] });
      } else if (op === 'in') {
        if (!Array.isArray(value) || value.length === 0) throw new MeridianError('VALIDATION_ERROR', `query: ${where} needs a non-empty array`, { field: 'query' });
        predicates.push({ op: 'in', args: [property, value.map((v) => literal(v, timestamp, where))] });
      } else {
        const text = likeLiteral(stringValue(value, where));
        const pattern = op === 'startsWith' ? `${text}%` : op === 'endsWith' ? `%${text}` : `%${text}%`;
        predicates.push({ op: 'like', args: [property, { literal: pattern }] });
      }
    }
  }
  if (predicates.length === 0) return undefined;
  return predicates.length === 1 ? predicates[0] : { op: 'and', args: predicates };
}
