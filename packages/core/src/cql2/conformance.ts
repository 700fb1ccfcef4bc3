/**
 * The CQL2 1.0 conformance classes this parser accepts. A server should only advertise the ones its compiler
 * also evaluates.
 */
export const cql2ConformanceClasses: readonly string[] = [
  'cql2-text',
  'cql2-json',
  'basic-cql2',
  'advanced-comparison-operators',
  'case-insensitive-comparison',
  'accent-insensitive-comparison',
  'basic-spatial-functions',
  'basic-spatial-functions-plus',
  'spatial-functions',
  'temporal-functions',
  'array-functions',
  'property-property',
  'functions',
  'arithmetic',
].map((name) => `http://www.opengis.net/spec/cql2/1.0/conf/${name}`);
