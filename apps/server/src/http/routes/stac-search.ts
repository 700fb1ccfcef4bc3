/**
 * Item search, GET and POST /search: collections, ids, bbox, intersects, datetime, limit, keyset paging
 * (token), CQL2 filter (text or JSON), sortby, fields and query. A POST's next link repeats its body with
 * the next token, as STAC API - Item Search describes.
 */
import { Type } from 'typebox';
import { cql2ConformanceClasses } from '@meridian/core';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, parseSearchBody, parseSearchQuery, searchItems, type SearchRequest } from '@meridian/stac';
import type { FastifyRequest } from 'fastify';
import { itemCollection } from './stac-item-collection.ts';
import { GEOJSON, JSON_TYPE, link, selfWith, sendJson, stacRoot, type Link } from './stac-links.ts';
import { ItemCollectionDocument, JsonBody, StacException } from './stac-schemas.ts';
import type { StacModule, StacRouteOptions } from './stac-module.ts';

const SearchQuery = Type.Object({
  collections: Type.Optional(Type.String({ description: 'Comma-separated collection ids' })),
  ids: Type.Optional(Type.String({ description: 'Comma-separated item ids' })),
  bbox: Type.Optional(Type.String({ description: 'west,south,east,north (CRS84); west > east crosses the antimeridian' })),
  intersects: Type.Optional(Type.String({ description: 'A GeoJSON geometry (JSON text)' })),
  datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval ("/", ".." for an open end)' })),
  limit: Type.Optional(Type.String({ description: `Page size (default ${DEFAULT_SEARCH_LIMIT}); larger values return ${MAX_SEARCH_LIMIT}` })),
  token: Type.Optional(Type.String({ description: 'Paging token from a next link' })),
  filter: Type.Optional(Type.String({ description: 'CQL2 filter' })),
  'filter-lang': Type.Optional(Type.String({ description: 'cql2-text (default for GET) or cql2-json' })),
  'filter-crs': Type.Optional(Type.String({ description: 'Only CRS84' })),
  sortby: Type.Optional(Type.String({ description: 'Comma-separated fields, "-" prefix for descending' })),
  fields: Type.Optional(Type.String({ description: 'Comma-separated fields to include, "-" prefix to exclude' })),
  query: Type.Optional(Type.String({ description: 'Query extension object as JSON' })),
}, { additionalProperties: true });

export const stacSearchModule: StacModule = {
  conformance: [
    'https://api.stacspec.org/v1.0.0/item-search',
    'https://api.stacspec.org/v1.0.0/item-search#fields',
    'https://api.stacspec.org/v1.1.0/item-search#sort',
    'https://api.stacspec.org/v1.0.0/item-search#query',
    'https://api.stacspec.org/v1.0.0/item-search#filter',
    'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
    ...cql2ConformanceClasses.filter((uri) => !uri.endsWith('/functions')),
  ],
  routes: async (app, { runtime, visibility }: StacRouteOptions) => {
    const answer = async (request: FastifyRequest, search: SearchRequest, next: (token: string) => Link) => {
      const page = await searchItems(runtime.db, search, visibility(request));
      const links = [
        link(selfWith(request, {}), 'self', GEOJSON),
        link(stacRoot(request), 'root', JSON_TYPE),
        ...(page.next ? [next(page.next)] : []),
      ];
      return itemCollection(request, search, page, links);
    };

    app.get('/search', {
      schema: {
        tags: ['stac'],
        summary: 'Search items across collections (query string)',
        querystring: SearchQuery,
        response: { 200: ItemCollectionDocument, 400: StacException },
      },
    }, async (request, reply) => {
      const search = parseSearchQuery(request.query as Record<string, unknown>);
      const document = await answer(request, search, (token) => link(selfWith(request, { token }), 'next', GEOJSON, 'Next page'));
      return sendJson(reply, GEOJSON, document);
    });

    app.post('/search', {
      schema: {
        tags: ['stac'],
        summary: 'Search items across collections (JSON body)',
        body: JsonBody('collections, ids, bbox, intersects, datetime, limit, token, filter, filter-lang, sortby, fields, query'),
        response: { 200: ItemCollectionDocument, 400: StacException },
      },
    }, async (request, reply) => {
      const search = parseSearchBody(request.body);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const document = await answer(request, search, (token) => ({
        ...link(`${stacRoot(request)}/search`, 'next', GEOJSON, 'Next page'),
        method: 'POST',
        body: { ...body, token },
        merge: false,
      }));
      return sendJson(reply, GEOJSON, document);
    });
  },
};
