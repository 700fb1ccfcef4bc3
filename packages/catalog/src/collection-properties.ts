/** The properties of a collection as CQL2, sorting and property selection see them. */
import { ident } from '@meridian/db';
import type { PropertyResolver } from './cql2-sql/types.ts';
import type { PublishedColumn, VectorCollection } from './vector-catalog.ts';

/** The name the geometry has in queryables and filters (as OGC API Features Part 3 suggests). */
export const GEOMETRY_PROPERTY = 'geometry';

/** The table alias every features query uses. */
export const TABLE_ALIAS = 't';

export function columnRef(name: string): string {
  return `${TABLE_ALIAS}.${ident(name)}`;
}

/** Published columns a filter can use (types it understands), in catalog order. */
export function queryableColumns(collection: VectorCollection): PublishedColumn[] {
  return collection.columns.filter((c) => c.spec.type !== undefined);
}

export function findColumn(collection: VectorCollection, name: string): PublishedColumn | undefined {
  return collection.columns.find((c) => c.name === name);
}

export function propertyResolver(collection: VectorCollection): PropertyResolver {
  return (name) => {
    if (name === GEOMETRY_PROPERTY) return { sql: columnRef(collection.geometryColumn), type: { kind: 'geometry' } };
    const column = findColumn(collection, name);
    if (!column?.spec.type) return undefined;
    return { sql: column.spec.filterSql(columnRef(column.name)), type: column.spec.type };
  };
}
