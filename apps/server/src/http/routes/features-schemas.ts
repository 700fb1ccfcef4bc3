/** TypeBox schemas of the OGC API Features documents: they validate nothing, they document the API. */
import { Type } from 'typebox';

export const LinkSchema = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.String(),
  title: Type.Optional(Type.String()),
  templated: Type.Optional(Type.Boolean()),
});

export const OgcException = Type.Object({ code: Type.String(), description: Type.String() }, { description: 'OGC API exception' });

/** `f` selects the representation (HTML for browsers, JSON otherwise). */
export const FormatParam = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'Response format; default from the Accept header' }));

export const CollectionParams = Type.Object({ collectionId: Type.String({ maxLength: 100, description: 'Collection id (the table name)' }) });

export const CollectionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.Literal('feature'),
  extent: Type.Object({
    spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())), crs: Type.String() }),
    temporal: Type.Optional(Type.Object({ interval: Type.Array(Type.Array(Type.Union([Type.String(), Type.Null()]))), trs: Type.String() })),
  }),
  crs: Type.Array(Type.String()),
  storageCrs: Type.String(),
  links: Type.Array(LinkSchema),
});

/** Sent as text assembled from the database's GeoJSON (hence the string static type); the schema documents it. */
export const FeatureCollectionSchema = Type.Unsafe<string>(Type.Object({
  type: Type.Literal('FeatureCollection'),
  numberMatched: Type.Integer(),
  numberMatchedEstimated: Type.Boolean({ description: 'True when numberMatched is the planner\'s estimate rather than an exact count' }),
  numberReturned: Type.Integer(),
  timeStamp: Type.String({ format: 'date-time' }),
  links: Type.Array(LinkSchema),
  features: Type.Array(Type.Object({}, { additionalProperties: true })),
}, { description: 'GeoJSON FeatureCollection (application/geo+json)' }));

export const FeatureSchema = Type.Unsafe<string>(Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Union([Type.Integer(), Type.String()]),
  geometry: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  properties: Type.Object({}, { additionalProperties: true }),
  links: Type.Array(LinkSchema),
}, { description: 'GeoJSON Feature (application/geo+json)' }));
