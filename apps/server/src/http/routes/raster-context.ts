/**
 * What the raster endpoint families share: how a request names its raster (a STAC item or a registered
 * search), how it is resolved to a RasterSource the caller may see, the response caching headers, and
 * the schemas common to every route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TProperties } from 'typebox';
import { sha256Hex } from '@meridian/core';
import type { Grid, PixelSelection, RasterSource } from '@meridian/tiles';
import { AssetsQuery, MosaicQuery } from './raster-params.ts';

export const ErrorSchema = Type.Object({ code: Type.String(), message: Type.String(), remedy: Type.String() }, { additionalProperties: true });
export const BinaryResponse = Type.Any({ description: 'The encoded image or array (png, jpeg, webp, tif, npy)' });
export const JsonObject = Type.Object({}, { additionalProperties: true });

export interface ResolvedRaster {
  source: RasterSource;
  /** Public data may be kept by shared caches. */
  public: boolean;
}

/** Resolves the raster a request names, or 404 when it does not exist or the caller may not see it. */
export interface RasterResolver {
  /** `assets`: TiTiler's assets parameter (names, repeatable or comma-separated); the preferred COG asset when absent. */
  item(request: FastifyRequest, collectionId: string, itemId: string, assets?: string[]): Promise<ResolvedRaster>;
  search(request: FastifyRequest, searchId: string, selection: PixelSelection): Promise<ResolvedRaster>;
}

/** One of the two families of the same endpoints: a STAC item's COG, or a search's mosaic. */
export interface RasterFamily {
  kind: 'item' | 'search';
  /** Path parameters of the family's prefix. */
  params: TProperties;
  /** Extra query parameters every route of the family accepts. */
  query: TProperties;
  resolve(request: FastifyRequest): Promise<ResolvedRaster>;
}

export function itemFamily(resolver: RasterResolver): RasterFamily {
  return {
    kind: 'item',
    params: { collectionId: Type.String({ maxLength: 256 }), itemId: Type.String({ maxLength: 256 }) },
    query: AssetsQuery,
    resolve: (request) => {
      const { collectionId, itemId } = request.params as { collectionId: string; itemId: string };
      return resolver.item(request, collectionId, itemId, (request.query as { assets?: string[] }).assets);
    },
  };
}

export function searchFamily(resolver: RasterResolver): RasterFamily {
  return {
    kind: 'search',
    params: { searchId: Type.String({ maxLength: 128 }) },
    query: MosaicQuery,
    resolve: (request) => {
      const { searchId } = request.params as { searchId: string };
      const { pixel_selection } = request.query as { pixel_selection?: PixelSelection };
      return resolver.search(request, searchId, pixel_selection ?? 'first');
    },
  };
}

/** Bump when rendering changes, so cached responses of unchanged data are not reused. */
const RENDER_VERSION = 1;

/**
 * ETag of a response: the version of the data it reads plus the whole request URL (path and query as
 * sent). Sets ETag and Cache-Control; true when the client's copy is current (the caller answers 304).
 */
export async function cacheHeaders(request: FastifyRequest, reply: FastifyReply, resolved: ResolvedRaster, grid: Grid | null): Promise<boolean> {
  const version = await resolved.source.versionFor(grid);
  const etag = `"${sha256Hex(`${RENDER_VERSION}|${version}|${request.url}`).slice(0, 32)}"`;
  reply.header('etag', etag).header('cache-control', `${resolved.public ? 'public' : 'private'}, max-age=3600`);
  return request.headers['if-none-match'] === etag;
}

/** The API root as the client reached it, for links in TileJSON and the map page. */
export function apiRoot(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/api/raster`;
}

export function familyPath(request: FastifyRequest, family: RasterFamily): string {
  if (family.kind === 'item') {
    const { collectionId, itemId } = request.params as { collectionId: string; itemId: string };
    return `${apiRoot(request)}/collections/${encodeURIComponent(collectionId)}/items/${encodeURIComponent(itemId)}`;
  }
  return `${apiRoot(request)}/searches/${encodeURIComponent((request.params as { searchId: string }).searchId)}`;
}
