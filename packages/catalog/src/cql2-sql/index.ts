export { compileCql2 } from './compile.ts';
export type { Cql2SqlOptions, PropertyResolver, ResolvedProperty, ScalarKind, ValueType } from './types.ts';
