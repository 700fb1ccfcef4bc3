/**
 * The aggregation extension: GET/POST /aggregate (the search parameters plus `aggregations` and
 * `datetime_frequency_interval`), /aggregations (what can be asked for), and both per collection.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import {
  aggregateItems, availableAggregations, parseAggregateBody, parseAggregateQuery, queryablesOf, requireCollection,
  type AggregateRequest,
} from '@meridian/stac';
import { JSON_TYPE, collectionUrl, link, selfWith, sendJson, stacRoot } from './stac-links.ts';
import { AggregationCollectionDocument, CollectionParams, JsonBody, StacException } from './stac-schemas.ts';
import type { StacModule, StacRouteOptions } from './stac-module.ts';

const AggregateQuery = Type.Object({
  aggregations: Type.Optional(Type.String({ description: 'Comma-separated aggregation names (see /aggregations); default total_count, datetime_min, datetime_max, collection_frequency' })),
  datetime_frequency_interval: Type.Optional(Type.String({ description: 'year, month (default), week, day, hour, minute or second' })),
  collections: Type.Optional(Type.String()),
  ids: Type.Optional(Type.String()),
  bbox: Type.Optional(Type.String()),
  intersects: Type.Optional(Type.String()),
  datetime: Type.Optional(Type.String()),
  filter: Type.Optional(Type.String()),
  'filter-lang': Type.Optional(Type.String()),
  query: Type.Optional(Type.String()),
}, { additionalProperties: true });

const AggregationsDocument = Type.Unsafe<string>(Type.Object({
  aggregations: Type.Array(Type.Object({ name: Type.String(), data_type: Type.String() })),
  links: Type.Array(Type.Object({}, { additionalProperties: true })),
}, { description: 'The aggregations that can be requested' }));

export const stacAggregationModule: StacModule = {
  conformance: [
    'https://api.stacspec.org/v0.3.0/aggregation',
    'https://api.stacspec.org/v0.3.0/aggregation#filter',
    'https://api.stacspec.org/v0.3.0/aggregation#query',
  ],
  routes: async (app, { runtime, visibility }: StacRouteOptions) => {
    const aggregate = async (request: FastifyRequest, parsed: AggregateRequest, collectionId?: string) => {
      const seenBy = visibility(request);
      if (collectionId !== undefined) {
        await requireCollection(runtime.db, collectionId, seenBy);
        if (parsed.search.collections) throw new MeridianError('UNKNOWN_PARAMETER', 'collections cannot be given here: the collection is in the path', { field: 'collections' });
        parsed.search.collections = [collectionId];
      }
      const aggregations = await aggregateItems(runtime.db, parsed, seenBy);
      return { type: 'AggregationCollection', aggregations, links: [link(selfWith(request, {}), 'self', JSON_TYPE), link(stacRoot(request), 'root', JSON_TYPE)] };
    };
    const available = async (request: FastifyRequest, collectionId?: string) => {
      const seenBy = visibility(request);
      if (collectionId !== undefined) await requireCollection(runtime.db, collectionId, seenBy);
      const queryables = await queryablesOf(runtime.db, collectionId === undefined ? undefined : [collectionId], seenBy);
      const base = collectionId === undefined ? stacRoot(request) : collectionUrl(request, collectionId);
      return {
        aggregations: availableAggregations(queryables),
        links: [link(selfWith(request, {}), 'self', JSON_TYPE), link(`${base}/aggregate`, 'aggregate', JSON_TYPE)],
      };
    };
    const describe = (what: string) => ({ tags: ['stac'], summary: what });

    app.get('/aggregate', {
      schema: { ...describe('Aggregate the items a search matches (query string)'), querystring: AggregateQuery, response: { 200: AggregationCollectionDocument, 400: StacException } },
    }, async (request, reply) => sendJson(reply, JSON_TYPE, await aggregate(request, parseAggregateQuery(request.query as Record<string, unknown>))));

    app.post('/aggregate', {
      schema: { ...describe('Aggregate the items a search matches (JSON body)'), body: JsonBody('A search body plus aggregations and datetime_frequency_interval'), response: { 200: AggregationCollectionDocument, 400: StacException } },
    }, async (request, reply) => sendJson(reply, JSON_TYPE, await aggregate(request, parseAggregateBody(request.body))));

    app.get('/aggregations', {
      schema: { ...describe('The aggregations available across the collections you can see'), response: { 200: AggregationsDocument } },
    }, async (request, reply) => sendJson(reply, JSON_TYPE, await available(request)));

    app.get('/collections/:collectionId/aggregate', {
      schema: { ...describe('Aggregate the items of one collection (query string)'), params: CollectionParams, querystring: AggregateQuery, response: { 200: AggregationCollectionDocument, 400: StacException, 404: StacException } },
    }, async (request, reply) => sendJson(reply, JSON_TYPE, await aggregate(request, parseAggregateQuery(request.query as Record<string, unknown>), request.params.collectionId)));

    app.post('/collections/:collectionId/aggregate', {
      schema: { ...describe('Aggregate the items of one collection (JSON body)'), params: CollectionParams, body: JsonBody('A search body plus aggregations and datetime_frequency_interval'), response: { 200: AggregationCollectionDocument, 400: StacException, 404: StacException } },
    }, async (request, reply) => sendJson(reply, JSON_TYPE, await aggregate(request, parseAggregateBody(request.body), request.params.collectionId)));

    app.get('/collections/:collectionId/aggregations', {
      schema: { ...describe('The aggregations available in one collection'), params: CollectionParams, response: { 200: AggregationsDocument, 404: StacException } },
    }, async (request, reply) => sendJson(reply, JSON_TYPE, await available(request, request.params.collectionId)));
  },
};
