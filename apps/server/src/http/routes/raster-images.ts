/**
 * Image endpoints of a raster family: tiles, preview, bbox and feature extracts. Each builds an output
 * grid, reads it from the family's source, and encodes it (png, jpeg, webp, tif, npy) with ETag and
 * Cache-Control.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import {
  bboxGrid, defaultFormat, encodeData, featureGrid, featuresOf, parseFormat, polygonsOf, previewGrid, readData, tileGrid,
  tileMatrixSet, DEFAULT_TILE_SIZE, type Grid, type OutputFormat, type RasterData,
} from '@meridian/tiles';
import { cacheHeaders, BinaryResponse, ErrorSchema, type RasterFamily, type ResolvedRaster } from './raster-context.ts';
import { CrsQuery, RenderQuery, SizeQuery, TileQuery, crsParams, parseNumbers, queryObject, renderParams } from './raster-params.ts';

const TILE_NAME = /^(\d+)(?:@([1-4])x)?(?:\.([a-z]+))?$/;
const BBOX_PATH = /^([^/]+)(?:\/(\d+)x(\d+))?\.([a-z]+)$/;
const FORMAT_NAME = Type.String({ pattern: '^[a-z]+$', maxLength: 8 });

const imageResponses = { 200: BinaryResponse, 304: Type.Null({ description: 'Not modified' }), 400: ErrorSchema, 404: ErrorSchema };

type RenderQueryValues = Parameters<typeof renderParams>[0];

async function respond(
  request: FastifyRequest, reply: FastifyReply, resolved: ResolvedRaster, grid: Grid, query: RenderQueryValues,
  format: OutputFormat | undefined, coverage?: Uint8Array,
) {
  const info = await resolved.source.info();
  const params = renderParams(query, info);
  if (request.method === 'GET' && await cacheHeaders(request, reply, resolved, grid)) return reply.code(304).send(null);
  const data: RasterData = await readData(resolved.source, grid, params);
  if (coverage) for (let i = 0; i < data.mask.length; i++) if (!coverage[i]) data.mask[i] = 0;
  const encoded = await encodeData(data, grid, format ?? defaultFormat(data), params, info);
  return reply.type(encoded.mediaType).send(encoded.body);
}

export const rasterImageRoutes: FastifyPluginAsyncTypebox<{ family: RasterFamily }> = async (app, { family }) => {
  const tags = ['raster'];
  const what = family.kind === 'item' ? 'the STAC item\'s raster' : 'the search\'s mosaic';

  app.get('/tiles/:tileMatrixSetId/:z/:x/:tile', {
    schema: {
      tags,
      summary: `A tile of ${what}: {y}[@{scale}x][.{format}]`,
      params: Type.Object({ ...family.params, tileMatrixSetId: Type.String({ maxLength: 64 }), z: Type.Integer(), x: Type.Integer(), tile: Type.String({ pattern: TILE_NAME.source, description: 'Row, optional @2x scale and .format' }) }),
      querystring: queryObject({ ...RenderQuery, ...TileQuery, ...family.query }),
      response: imageResponses,
    },
  }, async (request, reply) => {
    const { tileMatrixSetId, z, x, tile } = request.params;
    const [, y, scale, format] = TILE_NAME.exec(tile)!;
    const resolved = await family.resolve(request);
    const info = await resolved.source.info();
    const grid = tileGrid(tileMatrixSet(tileMatrixSetId), { z, x, y: Number(y) }, info.bounds, {
      tileSize: request.query.tilesize ?? DEFAULT_TILE_SIZE * Number(scale ?? 1),
      buffer: request.query.buffer,
    });
    return respond(request, reply, resolved, grid, request.query, format ? parseFormat(format) : undefined);
  });

  const previewSchema = {
    tags,
    summary: `A preview of ${what} (max_size, width, height)`,
    querystring: queryObject({ ...RenderQuery, ...SizeQuery, ...family.query }),
    response: imageResponses,
  };
  const preview = async (request: FastifyRequest, reply: FastifyReply, format: string | undefined) => {
    const resolved = await family.resolve(request);
    const query = request.query as Parameters<typeof renderParams>[0] & { max_size?: number; width?: number; height?: number };
    const grid = previewGrid(await resolved.source.frame(), { maxSize: query.max_size, width: query.width, height: query.height });
    return respond(request, reply, resolved, grid, query, format ? parseFormat(format) : undefined);
  };
  app.get('/preview', { schema: { ...previewSchema, params: Type.Object(family.params) } }, (request, reply) => preview(request, reply, undefined));
  app.get('/preview.:format', { schema: { ...previewSchema, params: Type.Object({ ...family.params, format: FORMAT_NAME }) } }, (request, reply) => preview(request, reply, request.params.format));

  app.get('/bbox/*', {
    schema: {
      tags,
      summary: `An extract of ${what}: bbox/{minx},{miny},{maxx},{maxy}[/{width}x{height}].{format}`,
      params: Type.Object({ ...family.params, '*': Type.String({ maxLength: 256 }) }),
      querystring: queryObject({ ...RenderQuery, ...CrsQuery, max_size: SizeQuery.max_size, ...family.query }),
      response: imageResponses,
    },
  }, async (request, reply) => {
    const match = BBOX_PATH.exec(request.params['*']);
    if (!match) throw new MeridianError('RASTER_PARAMETER_INVALID', 'the path must be bbox/{minx},{miny},{maxx},{maxy}[/{width}x{height}].{format}', { parameter: 'bbox' });
    const [minx, miny, maxx, maxy] = parseNumbers(match[1]!, 4, 'bbox') as [number, number, number, number];
    const resolved = await family.resolve(request);
    const grid = bboxGrid(await resolved.source.frame(), [minx, miny, maxx, maxy], {
      ...crsParams(request.query),
      maxSize: request.query.max_size,
      width: match[2] ? Number(match[2]) : undefined,
      height: match[3] ? Number(match[3]) : undefined,
    });
    return respond(request, reply, resolved, grid, request.query, parseFormat(match[4]!));
  });

  const featureSchema = {
    tags,
    summary: `${what} cropped to a GeoJSON (multi)polygon Feature, masked outside it`,
    querystring: queryObject({ ...RenderQuery, coord_crs: CrsQuery.coord_crs, max_size: SizeQuery.max_size, ...family.query }),
    body: Type.Object({ type: Type.String() }, { additionalProperties: true, description: 'A GeoJSON Feature (in coord_crs, default CRS84)' }),
    response: imageResponses,
  };
  const feature = async (request: FastifyRequest, reply: FastifyReply, format: string | undefined) => {
    const query = request.query as RenderQueryValues & { coord_crs?: string; max_size?: number };
    const [first] = featuresOf(request.body);
    const resolved = await family.resolve(request);
    const { grid, coverage } = featureGrid(await resolved.source.frame(), polygonsOf(first?.geometry), crsParams(query).coordCrs, query.max_size);
    return respond(request, reply, resolved, grid, query, format ? parseFormat(format) : 'png', coverage);
  };
  app.post('/feature', { schema: { ...featureSchema, params: Type.Object(family.params) } }, (request, reply) => feature(request, reply, undefined));
  app.post('/feature.:format', { schema: { ...featureSchema, params: Type.Object({ ...family.params, format: FORMAT_NAME }) } }, (request, reply) => feature(request, reply, request.params.format));
};
