export * from './error-catalog.ts';
export * from './meridian-error.ts';
export * from './canonical-json.ts';
export * from './slug.ts';
export * from './redact.ts';
export * from './lru-cache.ts';
export * from './cql2/index.ts';
