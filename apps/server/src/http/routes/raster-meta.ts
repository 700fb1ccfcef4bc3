/**
 * The raster API's reference documents: tile matrix sets (OGC TMS 2.0 JSON), colour maps, and the
 * MapLibre GL files the map viewer loads from this server.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Type } from 'typebox';
import { colorMapNames, namedColorMap, rampJson, tileMatrixSet, tileMatrixSetJson, TILE_MATRIX_SETS } from '@meridian/tiles';
import { apiRoot, ErrorSchema, JsonObject } from './raster-context.ts';
import { queryObject } from './raster-params.ts';

const MAPLIBRE_DIST = join(dirname(createRequire(import.meta.url).resolve('maplibre-gl/package.json')), 'dist');

export const rasterMetaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['raster'];
  const NoQuery = queryObject({});

  app.get('/tileMatrixSets', {
    schema: { tags, summary: 'The tile matrix sets raster tiles are served in', querystring: NoQuery, response: { 200: JsonObject } },
  }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=86400');
    return {
      tileMatrixSets: TILE_MATRIX_SETS.map((tms) => ({
        id: tms.id,
        title: tms.title,
        uri: tms.uri,
        links: [{ href: `${apiRoot(request)}/tileMatrixSets/${tms.id}`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme', type: 'application/json', title: `Definition of ${tms.id}` }],
      })),
    };
  });

  app.get('/tileMatrixSets/:tileMatrixSetId', {
    schema: { tags, summary: 'A tile matrix set (OGC Two Dimensional Tile Matrix Set 2.0 JSON)', params: Type.Object({ tileMatrixSetId: Type.String({ maxLength: 64 }) }), querystring: NoQuery, response: { 200: JsonObject, 404: ErrorSchema } },
  }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=86400');
    return tileMatrixSetJson(tileMatrixSet(request.params.tileMatrixSetId));
  });

  app.get('/colorMaps', {
    schema: { tags, summary: 'The names usable as colormap_name', querystring: NoQuery, response: { 200: Type.Object({ colorMaps: Type.Array(Type.String()), links: Type.Array(JsonObject) }) } },
  }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=86400');
    const names = colorMapNames();
    return { colorMaps: names, links: names.map((name) => ({ href: `${apiRoot(request)}/colorMaps/${name}`, rel: 'item', type: 'application/json', title: name })) };
  });

  app.get('/colorMaps/:colorMapId', {
    schema: { tags, summary: 'A colour map: 256 RGBA entries, {"0": [r,g,b,a], …}', params: Type.Object({ colorMapId: Type.String({ maxLength: 64 }) }), querystring: NoQuery, response: { 200: JsonObject, 400: ErrorSchema } },
  }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=86400');
    return rampJson(namedColorMap(request.params.colorMapId));
  });

  await app.register(fastifyStatic, { root: MAPLIBRE_DIST, prefix: '/static/', decorateReply: false, maxAge: '1d', index: false, schemaHide: true });
};
