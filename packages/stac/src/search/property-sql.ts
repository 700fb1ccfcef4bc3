/**
 * What a queryable is in SQL, for the shared CQL2 compiler: the indexed columns for id, collection,
 * geometry and the datetimes; a JSON path into `content->'properties'` for the rest, converted so that one
 * item's odd value (a string where a number is expected) makes that item not match instead of failing the
 * whole search. The property name is always a bind parameter.
 */
import type { PropertyResolver, ResolvedProperty, SqlParams } from '@meridian/catalog';
import type { Queryables, QueryableSchema } from '../queryables.ts';

export const ITEM_ALIAS = 'i';

const COLUMNS: Record<string, ResolvedProperty> = {
  id: { sql: `${ITEM_ALIAS}.id`, type: { kind: 'string' } },
  collection: { sql: `${ITEM_ALIAS}.collection`, type: { kind: 'string' } },
  geometry: { sql: `${ITEM_ALIAS}.geometry`, type: { kind: 'geometry' } },
  datetime: { sql: `${ITEM_ALIAS}.datetime`, type: { kind: 'timestamp' } },
  start_datetime: { sql: `${ITEM_ALIAS}.start_datetime`, type: { kind: 'timestamp' } },
  end_datetime: { sql: `${ITEM_ALIAS}.end_datetime`, type: { kind: 'timestamp' } },
};

/** Clients write item properties with or without the `properties.` prefix (STAC fields/sort style). */
export function propertyName(name: string): string {
  return name.startsWith('properties.') ? name.slice('properties.'.length) : name;
}

function jsonProperty(schema: QueryableSchema, name: string, params: SqlParams): ResolvedProperty | undefined {
  const value = `(${ITEM_ALIAS}.content->'properties'->${params.add(name)}::text)`;
  const when = (jsonType: string, sql: string) => `(CASE WHEN jsonb_typeof(${value}) = '${jsonType}' THEN ${sql} END)`;
  switch (schema.type) {
    case 'string':
      return schema.format === 'date-time'
        ? { sql: `catalog.jsonb_timestamptz(${value})`, type: { kind: 'timestamp' } }
        : { sql: when('string', `(${value} #>> '{}')`), type: { kind: 'string' } };
    case 'number':
    case 'integer':
      return { sql: when('number', `(${value})::double precision`), type: { kind: 'number' } };
    case 'boolean':
      return { sql: when('boolean', `(${value})::boolean`), type: { kind: 'boolean' } };
    case 'array':
      if ((schema.items as QueryableSchema | undefined)?.type !== 'string') return undefined;
      return { sql: when('array', `ARRAY(SELECT jsonb_array_elements_text(${value}))`), type: { kind: 'array', element: 'string', sqlType: 'text[]' } };
    default:
      return undefined;
  }
}

/** A resolver over `queryables`; anything else is unknown (the compiler answers UNKNOWN_PROPERTY). */
export function itemPropertyResolver(queryables: Queryables, params: SqlParams): PropertyResolver {
  return (written) => {
    const name = propertyName(written);
    const schema = queryables[name];
    if (!schema) return undefined;
    return COLUMNS[name] ?? jsonProperty(schema, name, params);
  };
}
