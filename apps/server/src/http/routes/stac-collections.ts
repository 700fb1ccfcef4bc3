/** STAC collections: the list with collection search (q, bbox, datetime, limit, token) and one collection. */
import { Type } from 'typebox';
import { DEFAULT_COLLECTION_LIMIT, MAX_COLLECTION_LIMIT, parseCollectionSearch, requireCollection, searchCollections } from '@meridian/stac';
import {
  CollectionDocument, CollectionParams, CollectionsDocument, StacException,
} from './stac-schemas.ts';
import { JSON_TYPE, link, selfWith, sendJson, servedCollection, stacRoot } from './stac-links.ts';
import type { StacModule } from './stac-module.ts';

const CollectionSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'Free-text terms, comma-separated; any of them in title, description, keywords or id' })),
  bbox: Type.Optional(Type.String({ description: 'west,south,east,north (CRS84): collections whose spatial extent intersects it' })),
  datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval (".." for an open end): collections whose temporal extent meets it' })),
  limit: Type.Optional(Type.String({ description: `Page size (default ${DEFAULT_COLLECTION_LIMIT}); larger values return ${MAX_COLLECTION_LIMIT}` })),
  token: Type.Optional(Type.String({ description: 'Paging token from a next link' })),
}, { additionalProperties: true });

export const stacCollectionsModule: StacModule = {
  conformance: [
    'https://api.stacspec.org/v1.0.0/collections',
    'https://api.stacspec.org/v1.0.0-rc.1/collection-search',
    'https://api.stacspec.org/v1.0.0-rc.1/collection-search#free-text',
    'http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/simple-query',
  ],
  routes: async (app, { runtime, visibility }) => {
    app.get('/collections', {
      schema: {
        tags: ['stac'],
        summary: 'The STAC collections you can see, with collection search (q, bbox, datetime) and paging',
        querystring: CollectionSearchQuery,
        response: { 200: CollectionsDocument, 400: StacException },
      },
    }, async (request, reply) => {
      const search = parseCollectionSearch(request.query as Record<string, unknown>);
      const page = await searchCollections(runtime.db, search, visibility(request));
      const links = [
        link(selfWith(request, {}), 'self', JSON_TYPE),
        link(stacRoot(request), 'root', JSON_TYPE),
        link(stacRoot(request), 'parent', JSON_TYPE),
        ...(page.next ? [link(selfWith(request, { token: page.next }), 'next', JSON_TYPE, 'Next page')] : []),
      ];
      return sendJson(reply, JSON_TYPE, {
        collections: page.collections.map((c) => servedCollection(request, c.collection)),
        links,
        numberMatched: page.numberMatched,
        numberReturned: page.collections.length,
      });
    });

    app.get('/collections/:collectionId', {
      schema: {
        tags: ['stac'],
        summary: 'One STAC collection',
        params: CollectionParams,
        response: { 200: CollectionDocument, 404: StacException },
      },
    }, async (request, reply) => {
      const stored = await requireCollection(runtime.db, request.params.collectionId, visibility(request));
      return sendJson(reply, JSON_TYPE, servedCollection(request, stored.collection));
    });
  },
};
