/**
 * The raster API at /api/raster (TiTiler's families): reference documents, search registration, and the
 * same endpoints for a STAC item's COG (collections/{c}/items/{i}/…) and for a search's mosaic
 * (searches/{search_id}/…). One CogReader per process keeps the header and block caches shared.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Visibility } from '@meridian/stac';
import { CogReader } from '@meridian/tiles';
import type { Runtime } from '../../runtime.ts';
import { itemFamily, searchFamily, type RasterFamily } from './raster-context.ts';
import { rasterDescribeRoutes } from './raster-describe.ts';
import { rasterImageRoutes } from './raster-images.ts';
import { rasterMetaRoutes } from './raster-meta.ts';
import { rasterSearchRoutes } from './raster-searches.ts';
import { stacRasterResolver, stacSearchRegistry } from './raster-stac.ts';

export interface RasterRoutesOptions {
  runtime: Runtime;
  /** Registering searches writes; a public (read-only) process does not register the route. */
  writable: boolean;
  /** What the caller may see of the catalog. */
  visibility(request: FastifyRequest): Visibility;
}

export const rasterRoutes: FastifyPluginAsyncTypebox<RasterRoutesOptions> = async (app, { runtime, writable, visibility }) => {
  const resolver = stacRasterResolver({ runtime, reader: new CogReader(runtime.store), visibility });
  await app.register(rasterMetaRoutes);
  if (writable) await app.register(rasterSearchRoutes, { registry: stacSearchRegistry(runtime) });
  const families: Array<[string, RasterFamily]> = [
    ['/collections/:collectionId/items/:itemId', itemFamily(resolver)],
    ['/searches/:searchId', searchFamily(resolver)],
  ];
  for (const [prefix, family] of families) {
    await app.register(rasterDescribeRoutes, { prefix, family });
    await app.register(rasterImageRoutes, { prefix, family });
  }
};
