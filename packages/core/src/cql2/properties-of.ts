import type { Expression, IntervalBound, PatternExpression } from './ast.ts';

type Visitable = Expression | IntervalBound | PatternExpression;

/**
 * Every property name a filter reads, so the caller can check them all against the queryables before
 * compiling. Iterative, so an AST built by hand (not bounded by the parser's depth limit) cannot overflow the stack.
 */
export function propertiesOf(ast: Expression): Set<string> {
  const properties = new Set<string>();
  const pending: Visitable[] = [ast];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node === '..') continue;
    if ('property' in node) properties.add(node.property);
    pending.push(...childrenOf(node));
  }
  return properties;
}

function childrenOf(node: Exclude<Visitable, '..'>): readonly Visitable[] {
  if ('op' in node) {
    if (node.op === 'not' || node.op === 'isNull') return [node.arg];
    if (node.op === 'in') return [node.args[0], ...node.args[1]];
    return node.args;
  }
  if ('function' in node || 'arith' in node) return node.args;
  if ('array' in node) return node.array;
  if ('interval' in node) return node.interval;
  if ('casei' in node) return [node.casei];
  if ('accenti' in node) return [node.accenti];
  return [];
}
