/**
 * Vector tiles of a collection (WebMercatorQuad, Mapbox Vector Tile) and their TileJSON. A tile's ETag
 * is derived from the catalog row (table, revision, last change), so a repeated request is answered 304
 * without rendering, and caches in front keep tiles until the table is reloaded. Rendered tiles are also
 * kept in this process (VectorTileCache, MERIDIAN_VECTOR_TILE_CACHE_MB) for the next caller.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sha256Hex } from '@meridian/core';
import {
  MAX_ZOOM, STALE, VectorTileCache, checkTileAddress, isCurrent, tileJson, withVisibleCollection, type VectorCollection,
} from '@meridian/catalog';
import type { Runtime } from '../../runtime.ts';
import { callerVisibility } from '../visibility.ts';
import { cacheScope, collectionNotFound, visibleCollection } from './features-served.ts';
import { JSON_TYPE, MVT, collectionUrl } from './features-links.ts';
import { CollectionParams, OgcException } from './features-schemas.ts';

/** Bump when the tile encoding changes, so cached tiles of an unchanged table are not reused. */
const TILE_FORMAT_VERSION = 1;

function tileEtag(collection: VectorCollection): string {
  return `"${sha256Hex(`${collection.id}|${collection.revision}|${collection.updatedAt.toISOString()}|${TILE_FORMAT_VERSION}`).slice(0, 32)}"`;
}


const TileParams = Type.Object({
  ...CollectionParams.properties,
  z: Type.Integer({ description: `Zoom level, 0–${MAX_ZOOM}` }),
  x: Type.Integer({ description: 'Column, 0 to 2^z − 1' }),
  y: Type.Integer({ description: 'Row from the top, 0 to 2^z − 1' }),
});

export const featuresTilesRoutes: FastifyPluginAsyncTypebox<{ runtime: Runtime }> = async (app, { runtime }) => {
  const tiles = new VectorTileCache(runtime.config.vector.tileCacheBytes);
  app.get('/collections/:collectionId/tiles/WebMercatorQuad', {
    schema: {
      tags: ['features'],
      summary: 'TileJSON of the collection\'s vector tiles',
      params: CollectionParams,
      querystring: Type.Object({}, { additionalProperties: false }),
      response: { 200: Type.Object({}, { additionalProperties: true, description: 'TileJSON 3.0.0' }), 404: OgcException },
    },
  }, async (request, reply) => {
    const collection = await visibleCollection(runtime, request, request.params.collectionId);
    reply.type(JSON_TYPE).header('cache-control', `${cacheScope(collection)}, max-age=60`);
    return tileJson(collection, `${collectionUrl(request, collection.id)}/tiles/WebMercatorQuad/{z}/{x}/{y}.pbf`);
  });

  app.get('/collections/:collectionId/tiles/WebMercatorQuad/:z/:x/:y.pbf', {
    schema: {
      tags: ['features'],
      summary: 'One vector tile (204 when empty)',
      params: TileParams,
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: Type.Any({ description: 'Mapbox Vector Tile (application/vnd.mapbox-vector-tile)' }),
        204: Type.Null({ description: 'No feature in this tile' }),
        304: Type.Null({ description: 'Not modified' }),
        400: OgcException,
        404: OgcException,
      },
    },
  }, async (request, reply) => {
    const { collectionId: id, z, x, y } = request.params;
    const visibility = callerVisibility(request);
    // The hot path: metadata from the collection cache, checked by the tile query itself (or, for a 304
    // that renders nothing, by a check of its own).
    const found = await withVisibleCollection(runtime.db, id, visibility, async (collection) => {
      checkTileAddress({ z, x, y });
      const etag = tileEtag(collection);
      if (request.headers['if-none-match'] === etag) return (await isCurrent(runtime.db, collection, visibility)) ? { collection, etag, notModified: true } : STALE;
      const tile = await tiles.tile(runtime.db, collection, { z, x, y }, visibility);
      return tile === STALE ? STALE : { collection, etag, notModified: false, tile };
    });
    if (!found) throw collectionNotFound(id);
    reply.header('etag', found.etag).header('cache-control', `${cacheScope(found.collection)}, max-age=3600`);
    if (found.notModified) return reply.code(304).send(null);
    if (found.tile === undefined) return reply.code(204).send(null);
    return reply.type(MVT).send(found.tile);
  });
};
