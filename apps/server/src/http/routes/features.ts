/**
 * OGC API Features (Parts 1–3) at /api/features: landing page, conformance, collections and queryables
 * here; items in features-items.ts, vector tiles in features-tiles.ts. Registered with the prefix
 * /api/features, so the OGC error body and not-found answer apply to this subtree only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import {
  CRS84, SUPPORTED_CRS, listVisibleCollections, queryablesSchema, type VectorCollection,
} from '@meridian/catalog';
import type { Runtime } from '../../runtime.ts';
import { ogcErrorHandler, ogcNotFoundHandler } from '../ogc-errors.ts';
import { ITEMS_CONFORMANCE, featuresItemsRoutes } from './features-items.ts';
import { featuresTilesRoutes } from './features-tiles.ts';
import { visibleCollection } from './features-served.ts';
import { callerVisibility } from '../visibility.ts';
import { HTML_CONFORMANCE, renderHtml, wantsHtml } from './features-html.ts';
import { GEOJSON, JSON_TYPE, QUERYABLES_REL, SCHEMA_JSON, collectionUrl, featuresRoot, link, selfWith } from './features-links.ts';
import { CollectionParams, CollectionSchema, FormatParam, LinkSchema, OgcException } from './features-schemas.ts';

const CORE_CONFORMANCE = ['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'];
const QUERYABLES_CONFORMANCE = ['http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables'];

const FormatQuery = Type.Object({ f: FormatParam }, { additionalProperties: false });

export interface FeaturesRoutesOptions {
  runtime: Runtime;
}

function collectionDocument(request: FastifyRequest, collection: VectorCollection) {
  const base = collectionUrl(request, collection.id);
  const temporal = collection.temporalProperty !== null || collection.temporalStart !== null
    ? { temporal: { interval: [[collection.temporalStart?.toISOString() ?? null, collection.temporalEnd?.toISOString() ?? null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } }
    : {};
  return {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    itemType: 'feature' as const,
    extent: { spatial: { bbox: [collection.bbox ?? [-180, -90, 180, 90]], crs: CRS84 }, ...temporal },
    crs: [...SUPPORTED_CRS],
    storageCrs: CRS84,
    links: [
      link(base, 'self', JSON_TYPE, 'This collection'),
      link(`${base}/items`, 'items', GEOJSON, 'Features as GeoJSON'),
      link(`${base}/items?f=html`, 'items', 'text/html', 'Features as HTML'),
      link(`${base}/queryables`, QUERYABLES_REL, SCHEMA_JSON, 'Queryables'),
      link(`${base}/tiles/WebMercatorQuad`, 'tiles', JSON_TYPE, 'Vector tiles (TileJSON, WebMercatorQuad)'),
    ],
  };
}

export const featuresRoutes: FastifyPluginAsyncTypebox<FeaturesRoutesOptions> = async (app, { runtime }) => {
  app.setErrorHandler(ogcErrorHandler);
  app.setNotFoundHandler(ogcNotFoundHandler);

  const conformance = [...CORE_CONFORMANCE, ...HTML_CONFORMANCE, ...QUERYABLES_CONFORMANCE, ...ITEMS_CONFORMANCE];

  app.get('/', {
    schema: {
      tags: ['features'],
      summary: 'OGC API Features landing page',
      querystring: FormatQuery,
      response: { 200: Type.Object({ title: Type.String(), description: Type.String(), links: Type.Array(LinkSchema) }), 400: OgcException },
    },
  }, async (request, reply) => {
    const root = featuresRoot(request);
    const api = `${request.protocol}://${request.host}/api`;
    const document = {
      title: 'Meridian OGC API Features',
      description: 'Published vector data as OGC API Features (Parts 1–3) and vector tiles.',
      links: [
        link(selfWith(request, {}), 'self', JSON_TYPE, 'This document'),
        link(`${api}/openapi.json`, 'service-desc', 'application/vnd.oai.openapi+json;version=3.1', 'The API definition'),
        link(`${api}/docs/`, 'service-doc', 'text/html', 'The API documentation'),
        link(`${root}/conformance`, 'conformance', JSON_TYPE, 'Conformance classes'),
        link(`${root}/collections`, 'data', JSON_TYPE, 'Collections'),
      ],
    };
    if (wantsHtml(request, request.query.f)) return renderHtml(reply, { page: 'landing', document });
    return document;
  });

  app.get('/conformance', {
    schema: {
      tags: ['features'],
      summary: 'The conformance classes this API implements',
      querystring: FormatQuery,
      response: { 200: Type.Object({ conformsTo: Type.Array(Type.String()) }), 400: OgcException },
    },
  }, async (request, reply) => {
    if (wantsHtml(request, request.query.f)) return renderHtml(reply, { page: 'conformance', conformsTo: conformance });
    return { conformsTo: conformance };
  });

  app.get('/collections', {
    schema: {
      tags: ['features'],
      summary: 'The published vector collections',
      querystring: FormatQuery,
      response: { 200: Type.Object({ links: Type.Array(LinkSchema), collections: Type.Array(CollectionSchema) }), 400: OgcException },
    },
  }, async (request, reply) => {
    const collections = await listVisibleCollections(runtime.db, callerVisibility(request));
    const document = {
      links: [link(selfWith(request, {}), 'self', JSON_TYPE, 'This document')],
      collections: collections.map((c) => collectionDocument(request, c)),
    };
    if (wantsHtml(request, request.query.f)) return renderHtml(reply, { page: 'collections', document });
    return document;
  });

  app.get('/collections/:collectionId', {
    schema: {
      tags: ['features'],
      summary: 'One collection: extent, CRSs and links',
      params: CollectionParams,
      querystring: FormatQuery,
      response: { 200: CollectionSchema, 400: OgcException, 404: OgcException },
    },
  }, async (request, reply) => {
    const document = collectionDocument(request, await visibleCollection(runtime, request, request.params.collectionId));
    if (wantsHtml(request, request.query.f)) return renderHtml(reply, { page: 'collection', document });
    return document;
  });

  app.get('/collections/:collectionId/queryables', {
    schema: {
      tags: ['features'],
      summary: 'The properties a filter, a sortby or a property=value parameter can use (JSON Schema)',
      params: CollectionParams,
      querystring: Type.Object({}, { additionalProperties: false }),
      response: { 200: Type.Object({}, { additionalProperties: true, description: 'JSON Schema (application/schema+json)' }), 404: OgcException },
    },
  }, async (request, reply) => {
    const collection = await visibleCollection(runtime, request, request.params.collectionId);
    reply.type(SCHEMA_JSON);
    return queryablesSchema(collection, `${collectionUrl(request, collection.id)}/queryables`);
  });

  await app.register(featuresItemsRoutes, { runtime });
  await app.register(featuresTilesRoutes, { runtime });
};
