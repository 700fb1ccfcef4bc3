import type { BooleanExpression, LogicalPredicate } from './ast.ts';

/**
 * AND/OR with nested operations of the same kind pulled up, so `(a AND b) AND c`, `a AND b AND c` and any JSON
 * nesting of them give one AST.
 */
export function logical(op: 'and' | 'or', args: readonly BooleanExpression[]): LogicalPredicate {
  return { op, args: args.flatMap((arg) => ('op' in arg && arg.op === op ? arg.args : [arg])) };
}
