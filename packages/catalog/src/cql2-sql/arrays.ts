/** Array predicates on PostgreSQL arrays: A_EQUALS is `=`, A_CONTAINS `@>`, A_CONTAINEDBY `<@`, A_OVERLAPS `&&`. */
import type { Cql2 } from '@meridian/core';
import { cql2Error } from './errors.ts';
import { comparable, dateAsTimestamp, isScalarKind } from './scalars.ts';
import { describeType, SQL_TYPE_OF, type ScalarKind, type Typed, type ValueType } from './types.ts';

type ArrayType = Extract<ValueType, { kind: 'array' }>;

const OPERATORS: Record<Cql2.ArrayOperator, string> = {
  a_equals: '=',
  a_contains: '@>',
  a_containedBy: '<@',
  a_overlaps: '&&',
};

const NUMERIC: ReadonlySet<ScalarKind> = new Set(['integer', 'number']);

interface ArrayOperand {
  /** For a literal: the SQL of each element, rendered once the array type is known. */
  elements?: Typed[];
  value?: Typed & { type: ArrayType };
}

export function arrayOperand(node: Cql2.ArrayExpression, value: (node: Cql2.Expression) => Typed, op: string): ArrayOperand {
  if ('array' in node) {
    const elements = node.array.map((element) => {
      if ('array' in element) throw cql2Error(`'${op}': nested arrays are not supported`);
      const compiled = value(element);
      if (!isScalarKind(compiled.type.kind)) throw cql2Error(`'${op}': array elements must be scalar values, not ${describeType(compiled.type)}`);
      return compiled;
    });
    if (elements.length > 1) comparable(elements, op);
    return { elements };
  }
  const compiled = value(node);
  if (compiled.type.kind !== 'array') throw cql2Error(`'${op}' needs arrays, but got ${describeType(compiled.type)}`);
  return { value: compiled as Typed & { type: ArrayType } };
}

function elementKind(operand: ArrayOperand): ScalarKind | undefined {
  if (operand.value) return operand.value.type.element;
  const kinds = new Set(operand.elements!.map((e) => e.type.kind as ScalarKind));
  if (kinds.size === 0) return undefined;
  if ([...kinds].every((k) => NUMERIC.has(k))) return kinds.has('number') ? 'number' : 'integer';
  return kinds.has('timestamp') ? 'timestamp' : [...kinds][0];
}

function sameFamily(a: ScalarKind, b: ScalarKind): boolean {
  return a === b || (NUMERIC.has(a) && NUMERIC.has(b)) || ((a === 'date' || a === 'timestamp') && (b === 'date' || b === 'timestamp'));
}

/**
 * Both sides must hold the same SQL array type for the operators to exist. A literal takes the type of the
 * property it is compared with; when kinds differ, both sides take the wider one (integers meeting
 * non-integers compare as doubles, as a cast to integer[] would round 1.5 to 2; dates meeting timestamps
 * become UTC midnights).
 */
export function arrayPredicate(op: Cql2.ArrayOperator, left: ArrayOperand, right: ArrayOperand): string {
  const [leftKind, rightKind] = [elementKind(left), elementKind(right)];
  if (leftKind !== undefined && rightKind !== undefined && !sameFamily(leftKind, rightKind)) {
    throw cql2Error(`'${op}' cannot compare an array of ${leftKind} values with an array of ${rightKind} values`);
  }
  const kinds = [leftKind, rightKind].filter((k): k is ScalarKind => k !== undefined);
  const widest: ScalarKind = kinds.includes('number') ? 'number' : kinds.includes('timestamp') ? 'timestamp' : (kinds[0] ?? 'string');
  const propertyType = left.value?.type.sqlType ?? right.value?.type.sqlType;
  const mixedKinds = kinds.length === 2 && kinds[0] !== kinds[1];
  const mixedProperties = left.value !== undefined && right.value !== undefined && left.value.type.sqlType !== right.value.type.sqlType;
  const common = mixedKinds || mixedProperties || propertyType === undefined ? `${SQL_TYPE_OF[widest]}[]` : propertyType;
  const render = (operand: ArrayOperand) => {
    if (operand.value) return operand.value.type.sqlType === common ? operand.value.sql : `(${operand.value.sql})::${common}`;
    const elements = operand.elements!.map((e) => (widest === 'timestamp' && e.type.kind === 'date' ? dateAsTimestamp(e.sql) : e.sql));
    return `ARRAY[${elements.join(', ')}]::${common}`;
  };
  return `(${render(left)} ${OPERATORS[op]} ${render(right)})`;
}
