/**
 * TypeBox schemas of the STAC API. STAC documents are open-ended JSON, so the responses are sent as text
 * (stac-links.ts sendJson) and these schemas document them; request bodies and query strings are checked
 * by @meridian/stac's parsers, which know the STAC rules.
 */
import { Type } from 'typebox';

const open = (description: string) => Type.Object({}, { additionalProperties: true, description });

/** A document sent as text: the static type is string, the schema says what the text holds. */
const documented = (description: string, properties: Parameters<typeof Type.Object>[0] = {}) =>
  Type.Unsafe<string>(Type.Object(properties, { additionalProperties: true, description }));

export const StacException = Type.Object({ code: Type.String(), description: Type.String() }, { description: 'STAC API exception' });

export const LinksSchema = Type.Array(open('A link (href, rel, type, title; method and body for POST links)'));

export const CatalogDocument = documented('The STAC API landing page (a STAC Catalog with conformsTo)', {
  type: Type.Literal('Catalog'),
  stac_version: Type.String(),
  id: Type.String(),
  description: Type.String(),
  conformsTo: Type.Array(Type.String()),
  links: LinksSchema,
});

export const ConformanceDocument = documented('The conformance classes this API implements', { conformsTo: Type.Array(Type.String()) });

export const CollectionDocument = documented('A STAC Collection', { type: Type.Literal('Collection'), id: Type.String(), links: LinksSchema });

export const CollectionsDocument = documented('STAC Collections', {
  collections: Type.Array(open('A STAC Collection')),
  links: LinksSchema,
  numberMatched: Type.Integer(),
  numberReturned: Type.Integer(),
});

export const ItemDocument = documented('A STAC Item (application/geo+json)', { type: Type.Literal('Feature'), id: Type.String(), links: LinksSchema });

export const ItemCollectionDocument = documented('A STAC ItemCollection (application/geo+json)', {
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(open('A STAC Item')),
  links: LinksSchema,
  numberMatched: Type.Integer(),
  numberMatchedEstimated: Type.Boolean({ description: 'True when numberMatched is the planner\'s estimate rather than an exact count' }),
  numberReturned: Type.Integer(),
});

export const OpenApiDocument = documented('The OpenAPI 3.1 definition of the Meridian API');

export const JsonSchemaDocument = documented('JSON Schema (application/schema+json)');

export const AggregationCollectionDocument = documented('A STAC AggregationCollection', {
  type: Type.Literal('AggregationCollection'),
  aggregations: Type.Array(open('An aggregation: name, data_type, value or buckets, overflow')),
  links: LinksSchema,
});

export const CollectionParams = Type.Object({ collectionId: Type.String({ maxLength: 255, description: 'Collection id' }) });
export const ItemParams = Type.Object({ ...CollectionParams.properties, itemId: Type.String({ maxLength: 255, description: 'Item id' }) });

export const JsonBody = (description: string) => open(description);
