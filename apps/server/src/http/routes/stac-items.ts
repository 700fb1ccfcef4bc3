/**
 * A collection's items (STAC API - Features, on OGC API Features semantics): the ItemCollection with bbox,
 * datetime, limit and keyset paging, plus the filter, sort, fields and query extensions; and one item.
 */
import { Type } from 'typebox';
import { MeridianError, cql2ConformanceClasses } from '@meridian/core';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, getItem, parseSearchQuery, requireCollection, searchItems } from '@meridian/stac';
import { itemCollection } from './stac-item-collection.ts';
import { GEOJSON, JSON_TYPE, collectionUrl, link, selfWith, sendJson, servedItem, stacRoot } from './stac-links.ts';
import { CollectionParams, ItemCollectionDocument, ItemDocument, ItemParams, StacException } from './stac-schemas.ts';
import type { StacModule } from './stac-module.ts';

const FEATURES_1 = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf';

const ItemsQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: `Page size (default ${DEFAULT_SEARCH_LIMIT}); larger values return ${MAX_SEARCH_LIMIT}` })),
  bbox: Type.Optional(Type.String({ description: 'west,south,east,north (CRS84)' })),
  datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval ("/", ".." for an open end)' })),
  token: Type.Optional(Type.String({ description: 'Paging token from a next link' })),
  filter: Type.Optional(Type.String({ description: 'CQL2 filter' })),
  'filter-lang': Type.Optional(Type.String({ description: 'cql2-text (default) or cql2-json' })),
  sortby: Type.Optional(Type.String({ description: 'Comma-separated fields, "-" prefix for descending' })),
  fields: Type.Optional(Type.String({ description: 'Comma-separated fields to include, "-" prefix to exclude' })),
  query: Type.Optional(Type.String({ description: 'Query extension object as JSON' })),
}, { additionalProperties: true });

export const stacItemsModule: StacModule = {
  conformance: [
    'https://api.stacspec.org/v1.0.0/ogcapi-features',
    `${FEATURES_1}/core`,
    `${FEATURES_1}/geojson`,
    'https://api.stacspec.org/v1.0.0/ogcapi-features#fields',
    'https://api.stacspec.org/v1.1.0/ogcapi-features#sort',
    'https://api.stacspec.org/v1.0.0/ogcapi-features#query',
    'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
    'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
    ...cql2ConformanceClasses.filter((uri) => !uri.endsWith('/functions')),
  ],
  routes: async (app, { runtime, visibility }) => {
    app.get('/collections/:collectionId/items', {
      schema: {
        tags: ['stac'],
        summary: 'The items of a collection (bbox, datetime, filter, sortby, fields, query; keyset paging)',
        params: CollectionParams,
        querystring: ItemsQuery,
        response: { 200: ItemCollectionDocument, 400: StacException, 404: StacException },
      },
    }, async (request, reply) => {
      const seenBy = visibility(request);
      const { collectionId } = request.params;
      await requireCollection(runtime.db, collectionId, seenBy);
      const query = request.query as Record<string, unknown>;
      if ('collections' in query) throw new MeridianError('UNKNOWN_PARAMETER', 'collections cannot be given here: the collection is in the path', { field: 'collections' });
      const search = { ...parseSearchQuery(query), collections: [collectionId] };
      const page = await searchItems(runtime.db, search, seenBy);
      const links = [
        link(selfWith(request, {}), 'self', GEOJSON),
        link(stacRoot(request), 'root', JSON_TYPE),
        link(collectionUrl(request, collectionId), 'parent', JSON_TYPE),
        link(collectionUrl(request, collectionId), 'collection', JSON_TYPE),
        ...(page.next ? [link(selfWith(request, { token: page.next }), 'next', GEOJSON, 'Next page')] : []),
      ];
      return sendJson(reply, GEOJSON, itemCollection(request, search, page, links));
    });

    app.get('/collections/:collectionId/items/:itemId', {
      schema: {
        tags: ['stac'],
        summary: 'One STAC item',
        params: ItemParams,
        response: { 200: ItemDocument, 404: StacException },
      },
    }, async (request, reply) => {
      const { collectionId, itemId } = request.params;
      const stored = await getItem(runtime.db, collectionId, itemId, visibility(request));
      if (!stored) {
        throw new MeridianError('STAC_ITEM_NOT_FOUND', `collection "${collectionId.slice(0, 100)}" has no item "${itemId.slice(0, 100)}" you can see`);
      }
      return sendJson(reply, GEOJSON, servedItem(request, stored.item));
    });
  },
};
