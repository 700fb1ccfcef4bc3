/** OGC API Features items: the GeoJSON FeatureCollection of a collection, and single features. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MeridianError, cql2ConformanceClasses } from '@meridian/core';
import {
  DEFAULT_LIMIT, MAX_LIMIT, STALE, SUPPORTED_CRS, parseCrs, parseItemsQuery, queryFeature, queryItems, withVisibleCollection,
} from '@meridian/catalog';
import type { Runtime } from '../../runtime.ts';
import { callerVisibility } from '../visibility.ts';
import { collectionNotFound, visibleCollection } from './features-served.ts';
import { renderHtml, wantsHtml } from './features-html.ts';
import { GEOJSON, JSON_TYPE, collectionUrl, link, selfWith, type Link } from './features-links.ts';
import { CollectionParams, FeatureCollectionSchema, FeatureSchema, FormatParam, OgcException } from './features-schemas.ts';

const FEATURES_1 = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf';
const FEATURES_3 = 'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf';

/** What the items routes implement; CQL2 `functions` is left out because no functions are offered. */
export const ITEMS_CONFORMANCE: readonly string[] = [
  `${FEATURES_1}/geojson`,
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  `${FEATURES_3}/queryables-query-parameters`,
  `${FEATURES_3}/filter`,
  `${FEATURES_3}/features-filter`,
  ...cql2ConformanceClasses.filter((uri) => !uri.endsWith('/functions')),
  // Draft parts: property selection (Part 6) and sorting (Part 8).
  'http://www.opengis.net/spec/ogcapi-features-6/1.0/conf/property-selection',
  'http://www.opengis.net/spec/ogcapi-features-8/1.0/conf/sorting',
];

const CrsParam = (description: string) => Type.Optional(Type.String({ description: `${description}; one of ${SUPPORTED_CRS.join(', ')}` }));

/** Documents the standard parameters; other keys are property=value filters, checked against the queryables. */
const ItemsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Page size' }),
  offset: Type.Integer({ minimum: 0, default: 0, description: 'Features to skip (the next/prev links carry it)' }),
  bbox: Type.Optional(Type.String({ description: 'minx,miny,maxx,maxy (or 6 numbers) in bbox-crs axis order' })),
  'bbox-crs': CrsParam('CRS of bbox'),
  datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval (start/end, ".." for an open end) on the temporal property' })),
  filter: Type.Optional(Type.String({ description: 'CQL2 filter' })),
  'filter-lang': Type.Optional(Type.Union([Type.Literal('cql2-text'), Type.Literal('cql2-json')], { description: 'Encoding of filter (default cql2-text)' })),
  'filter-crs': CrsParam('CRS of geometry literals in filter'),
  sortby: Type.Optional(Type.String({ description: 'Comma-separated properties, "-" prefix for descending' })),
  properties: Type.Optional(Type.String({ description: 'Comma-separated properties to return' })),
  crs: CrsParam('CRS of the returned geometries'),
  f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson'), Type.Literal('html')])),
}, { additionalProperties: true });

export const featuresItemsRoutes: FastifyPluginAsyncTypebox<{ runtime: Runtime }> = async (app, { runtime }) => {
  app.get('/collections/:collectionId/items', {
    schema: {
      tags: ['features'],
      summary: 'Features of a collection (bbox, datetime, CQL2 filter, property=value, sortby, properties, crs, paging)',
      params: CollectionParams,
      querystring: ItemsQuery,
      response: { 200: FeatureCollectionSchema, 400: OgcException, 404: OgcException },
    },
  }, async (request, reply) => {
    const id = request.params.collectionId;
    const visibility = callerVisibility(request);
    // The hot path: metadata from the collection cache, checked by the page query itself.
    const found = await withVisibleCollection(runtime.db, id, visibility, async (collection) => {
      const query = parseItemsQuery(request.query as Record<string, unknown>, collection);
      const page = await queryItems(runtime.db, collection, query, visibility);
      return page === STALE ? STALE : { collection, query, page };
    });
    if (!found) throw collectionNotFound(id);
    const { collection, query, page } = found;
    const links: Link[] = [
      link(selfWith(request, {}), 'self', GEOJSON, 'This page'),
      link(collectionUrl(request, collection.id), 'collection', JSON_TYPE, collection.title),
    ];
    // An estimated total may be short of the truth, so a full page always offers a next one then.
    const full = page.numberReturned === query.limit;
    const more = full && (page.numberMatchedEstimated || query.offset + page.numberReturned < page.numberMatched);
    if (more) links.push(link(selfWith(request, { offset: String(query.offset + query.limit), limit: String(query.limit) }), 'next', GEOJSON, 'Next page'));
    if (query.offset > 0) links.push(link(selfWith(request, { offset: String(Math.max(0, query.offset - query.limit)), limit: String(query.limit) }), 'prev', GEOJSON, 'Previous page'));
    reply.header('content-crs', `<${query.crs.uri}>`);
    if (wantsHtml(request, request.query.f)) {
      return renderHtml(reply, { page: 'items', collection, links, featuresJson: page.featuresJson, numberMatched: page.numberMatched });
    }
    // The features are already GeoJSON text from the database: the page is assembled, not re-serialized.
    const head = JSON.stringify({
      type: 'FeatureCollection',
      numberMatched: page.numberMatched,
      numberMatchedEstimated: page.numberMatchedEstimated,
      numberReturned: page.numberReturned,
      timeStamp: new Date().toISOString(),
      links,
    });
    return reply.type(GEOJSON).send(`${head.slice(0, -1)},"features":${page.featuresJson}}`);
  });

  app.get('/collections/:collectionId/items/:featureId', {
    schema: {
      tags: ['features'],
      summary: 'One feature',
      params: Type.Object({ ...CollectionParams.properties, featureId: Type.String({ maxLength: 200 }) }),
      querystring: Type.Object({ crs: CrsParam('CRS of the returned geometry'), f: FormatParam }, { additionalProperties: false }),
      response: { 200: FeatureSchema, 400: OgcException, 404: OgcException },
    },
  }, async (request, reply) => {
    const collection = await visibleCollection(runtime, request, request.params.collectionId);
    const crs = parseCrs(request.query.crs, 'crs');
    const text = await queryFeature(runtime.db, collection, request.params.featureId, crs);
    if (text === undefined) throw new MeridianError('FEATURE_NOT_FOUND', `collection ${collection.id} has no feature "${request.params.featureId.slice(0, 100)}"`);
    const base = collectionUrl(request, collection.id);
    const feature = {
      ...(JSON.parse(text) as Record<string, unknown>),
      links: [
        link(selfWith(request, {}), 'self', GEOJSON, 'This feature'),
        link(base, 'collection', JSON_TYPE, collection.title),
      ],
    };
    reply.header('content-crs', `<${crs.uri}>`);
    if (wantsHtml(request, request.query.f)) return renderHtml(reply, { page: 'feature', collection, feature });
    return reply.type(GEOJSON).send(JSON.stringify(feature));
  });
};
