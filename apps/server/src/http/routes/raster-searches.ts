/** Registering a mosaic search: POST /api/raster/searches/register → its stable id and links. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { apiRoot, ErrorSchema, JsonObject } from './raster-context.ts';

export interface SearchRegistry {
  register(body: unknown): Promise<{ searchId: string }>;
}

export const rasterSearchRoutes: FastifyPluginAsyncTypebox<{ registry: SearchRegistry }> = async (app, { registry }) => {
  app.post('/searches/register', {
    schema: {
      tags: ['raster'],
      summary: 'Register a mosaic search (collections, bbox, datetime, CQL2 filter, sortby); returns its stable id',
      body: Type.Object({}, { additionalProperties: true, description: 'A STAC search body: collections, ids, bbox, intersects, datetime, filter, filter-lang, query, sortby' }),
      response: { 200: Type.Object({ id: Type.String(), links: Type.Array(JsonObject) }), 400: ErrorSchema },
    },
  }, async (request) => {
    const { searchId } = await registry.register(request.body);
    const base = `${apiRoot(request)}/searches/${searchId}`;
    return {
      id: searchId,
      links: [
        { rel: 'metadata', type: 'application/json', href: `${base}/info` },
        { rel: 'tilejson', type: 'application/json', href: `${base}/WebMercatorQuad/tilejson.json` },
        { rel: 'map', type: 'text/html', href: `${base}/WebMercatorQuad/map` },
      ],
    };
  });
};
