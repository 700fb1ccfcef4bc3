export { compileCql2 } from './compile.ts';
export { SQL_TYPE_OF } from './types.ts';
export type { Cql2SqlOptions, PropertyResolver, ResolvedProperty, ScalarKind, ValueType } from './types.ts';
