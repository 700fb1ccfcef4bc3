/** Queryables (the filter extension's JSON Schema of filterable properties), global and per collection. */
import type { FastifyRequest } from 'fastify';
import { queryablesOf, requireCollection, type Queryables } from '@meridian/stac';
import { SCHEMA_JSON, collectionUrl, sendJson, stacRoot } from './stac-links.ts';
import { CollectionParams, JsonSchemaDocument, StacException } from './stac-schemas.ts';
import type { StacModule } from './stac-module.ts';

function queryablesDocument(id: string, title: string, properties: Queryables) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    type: 'object',
    title,
    properties,
    additionalProperties: false,
  };
}

export const stacQueryablesModule: StacModule = {
  // Declared with filter by the search and items modules; queryables are part of the filter classes.
  conformance: [],
  routes: async (app, { runtime, visibility }) => {
    app.get('/queryables', {
      schema: {
        tags: ['stac'],
        summary: 'The properties filter, sortby and query can use across the collections you can see',
        response: { 200: JsonSchemaDocument },
      },
    }, async (request: FastifyRequest, reply) => {
      const properties = await queryablesOf(runtime.db, undefined, visibility(request));
      return sendJson(reply, SCHEMA_JSON, queryablesDocument(`${stacRoot(request)}/queryables`, 'Queryables of all collections', properties));
    });

    app.get('/collections/:collectionId/queryables', {
      schema: {
        tags: ['stac'],
        summary: 'The properties filter, sortby and query can use in one collection',
        params: CollectionParams,
        response: { 200: JsonSchemaDocument, 404: StacException },
      },
    }, async (request, reply) => {
      const seenBy = visibility(request);
      const { collectionId } = request.params;
      await requireCollection(runtime.db, collectionId, seenBy);
      const properties = await queryablesOf(runtime.db, [collectionId], seenBy);
      return sendJson(reply, SCHEMA_JSON, queryablesDocument(`${collectionUrl(request, collectionId)}/queryables`, `Queryables of ${collectionId}`, properties));
    });
  },
};
