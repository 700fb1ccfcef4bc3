/**
 * The transaction extensions (administrators only; the root's write guard checks the role): create,
 * replace, merge-patch and delete collections and items, and bulk item creation — a FeatureCollection of
 * up to 10,000 items POSTed to a collection's items is validated and written in one statement, all or none.
 * Rows written here are served at once with the OUO classification (ADMIN_CLASSIFICATION); the platform's
 * approval flow changes it.
 */
import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import {
  ADMIN_CLASSIFICATION, MAX_BATCH_ITEMS, createCollection, deleteCollection, deleteItem, insertItems, patchCollection,
  patchItem, replaceCollection, replaceItem, type JsonObject,
} from '@meridian/stac';
import { GEOJSON, JSON_TYPE, collectionUrl, itemUrl, sendJson, servedCollection, servedItem } from './stac-links.ts';
import { CollectionDocument, CollectionParams, ItemDocument, ItemParams, JsonBody, StacException } from './stac-schemas.ts';
import type { StacModule } from './stac-module.ts';

/** A bulk request of MAX_BATCH_ITEMS small items fits comfortably. */
const BULK_BODY_LIMIT = 64 * 1024 * 1024;

const BulkCreated = Type.Object({
  collection: Type.String(),
  created: Type.Integer({ description: 'Items written' }),
}, { description: 'The result of a bulk (FeatureCollection) insert' });

function object(body: unknown, what: string): JsonObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new MeridianError('VALIDATION_ERROR', `the body must be ${what} (a JSON object)`);
  return body as JsonObject;
}

export const stacTransactionsModule: StacModule = {
  conformance: [
    'https://api.stacspec.org/v1.0.0/ogcapi-features/extensions/transaction',
    'https://api.stacspec.org/v1.0.0/collections/extensions/transaction',
  ],
  routes: async (app, { runtime }) => {
    const { db } = runtime;
    // STAC clients send GeoJSON and merge patches with their own media types.
    app.addContentTypeParser(['application/geo+json', 'application/merge-patch+json'], { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, app.getDefaultJsonParser('error', 'error'));

    app.post('/collections', {
      schema: { tags: ['stac'], summary: 'Create a collection', body: JsonBody('A STAC Collection'), response: { 201: CollectionDocument, 400: StacException, 409: StacException } },
    }, async (request, reply) => {
      const collection = await createCollection(db, request.body, ADMIN_CLASSIFICATION);
      reply.code(201).header('location', collectionUrl(request, collection.id));
      return sendJson(reply, JSON_TYPE, servedCollection(request, collection));
    });

    app.put('/collections/:collectionId', {
      schema: { tags: ['stac'], summary: 'Replace a collection', params: CollectionParams, body: JsonBody('A STAC Collection'), response: { 200: CollectionDocument, 400: StacException, 404: StacException } },
    }, async (request, reply) => {
      const body = object(request.body, 'a collection');
      const collection = await replaceCollection(db, request.params.collectionId, { ...body, id: body.id ?? request.params.collectionId });
      return sendJson(reply, JSON_TYPE, servedCollection(request, collection));
    });

    app.patch('/collections/:collectionId', {
      schema: { tags: ['stac'], summary: 'Update a collection with a JSON merge patch (RFC 7386)', params: CollectionParams, body: JsonBody('A JSON merge patch'), response: { 200: CollectionDocument, 400: StacException, 404: StacException } },
    }, async (request, reply) => {
      const patch = object(request.body, 'a merge patch');
      const collection = await db.transaction((tx) => patchCollection(tx, request.params.collectionId, patch));
      return sendJson(reply, JSON_TYPE, servedCollection(request, collection));
    });

    app.delete('/collections/:collectionId', {
      schema: { tags: ['stac'], summary: 'Delete a collection and its items', params: CollectionParams, response: { 204: Type.Null(), 404: StacException } },
    }, async (request, reply) => {
      await deleteCollection(db, request.params.collectionId);
      return reply.code(204).send(null);
    });

    app.post('/collections/:collectionId/items', {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags: ['stac'],
        summary: `Create an item, or up to ${MAX_BATCH_ITEMS} items at once (a FeatureCollection; all or none)`,
        params: CollectionParams,
        body: JsonBody('A STAC Item, or a FeatureCollection of items'),
        response: { 201: Type.Union([ItemDocument, BulkCreated]), 400: StacException, 404: StacException, 409: StacException },
      },
    }, async (request, reply) => {
      const { collectionId } = request.params;
      const body = object(request.body, 'an item or a FeatureCollection');
      if (body.type === 'FeatureCollection') {
        if (!Array.isArray(body.features)) throw new MeridianError('VALIDATION_ERROR', 'a FeatureCollection needs a features array', { field: 'features' });
        const features = body.features;
        const rows = await db.transaction((tx) => insertItems(tx, collectionId, features, ADMIN_CLASSIFICATION));
        return reply.code(201).send({ collection: collectionId, created: rows.length });
      }
      const [row] = await db.transaction((tx) => insertItems(tx, collectionId, [body], ADMIN_CLASSIFICATION));
      reply.code(201).header('location', itemUrl(request, collectionId, row!.id));
      return sendJson(reply, GEOJSON, servedItem(request, row!.content));
    });

    app.put('/collections/:collectionId/items/:itemId', {
      schema: { tags: ['stac'], summary: 'Replace an item', params: ItemParams, body: JsonBody('A STAC Item'), response: { 200: ItemDocument, 400: StacException, 404: StacException } },
    }, async (request, reply) => {
      const { collectionId, itemId } = request.params;
      const body = object(request.body, 'an item');
      const item = await db.transaction((tx) => replaceItem(tx, collectionId, itemId, { ...body, id: body.id ?? itemId }));
      return sendJson(reply, GEOJSON, servedItem(request, item));
    });

    app.patch('/collections/:collectionId/items/:itemId', {
      schema: { tags: ['stac'], summary: 'Update an item with a JSON merge patch (RFC 7386)', params: ItemParams, body: JsonBody('A JSON merge patch'), response: { 200: ItemDocument, 400: StacException, 404: StacException } },
    }, async (request, reply) => {
      const { collectionId, itemId } = request.params;
      const patch = object(request.body, 'a merge patch');
      const item = await db.transaction((tx) => patchItem(tx, collectionId, itemId, patch));
      return sendJson(reply, GEOJSON, servedItem(request, item));
    });

    app.delete('/collections/:collectionId/items/:itemId', {
      schema: { tags: ['stac'], summary: 'Delete an item', params: ItemParams, response: { 204: Type.Null(), 404: StacException } },
    }, async (request, reply) => {
      await deleteItem(db, request.params.collectionId, request.params.itemId);
      return reply.code(204).send(null);
    });
  },
};
