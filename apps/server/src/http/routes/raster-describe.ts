/**
 * Descriptive endpoints of a raster family: info, statistics (GET for the whole raster, POST GeoJSON
 * for per-feature zonal statistics), point values, TileJSON and a MapLibre viewer page.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { MeridianError } from '@meridian/core';
import {
  applyExpression, bandStatistics, checkStatisticsOptions, featureGrid, featuresOf, polygonsOf, previewGrid, readData, tileMatrixSet,
  transformer, type StatisticsOptions,
} from '@meridian/tiles';
import { apiRoot, cacheHeaders, ErrorSchema, familyPath, JsonObject, type RasterFamily } from './raster-context.ts';
import { CrsQuery, RenderQuery, SizeQuery, StatisticsQuery, TileQuery, crsParams, histogramRange, parseNumbers, queryObject, renderParams } from './raster-params.ts';
import { mapPage } from './raster-map-page.ts';

const jsonResponses = { 200: JsonObject, 304: Type.Null({ description: 'Not modified' }), 400: ErrorSchema, 404: ErrorSchema };
const ParamsFor = (family: RasterFamily) => Type.Object(family.params);

/** JSON has no NaN: a NaN nodata value is written as the string "nan", as TiTiler does. */
function nodataJson(nodata: number | null): number | string | null {
  return nodata !== null && Number.isNaN(nodata) ? 'nan' : nodata;
}

function statisticsOptions(query: { p?: number[]; histogram_bins?: number; histogram_range?: string }): StatisticsOptions {
  const options = { percentiles: query.p, histogramBins: query.histogram_bins, histogramRange: histogramRange(query.histogram_range) };
  checkStatisticsOptions(options);
  return options;
}

export const rasterDescribeRoutes: FastifyPluginAsyncTypebox<{ family: RasterFamily }> = async (app, { family }) => {
  const tags = ['raster'];
  const what = family.kind === 'item' ? 'the STAC item\'s raster' : 'the search\'s mosaic';

  app.get('/info', {
    schema: { tags, summary: `Bounds, CRS, size, bands, data type, nodata and overviews of ${what}`, params: ParamsFor(family), querystring: queryObject(family.query), response: jsonResponses },
  }, async (request, reply) => {
    const resolved = await family.resolve(request);
    if (await cacheHeaders(request, reply, resolved, null)) return reply.code(304).send(null);
    const info = await resolved.source.info();
    return {
      bounds: info.bounds,
      crs: `http://www.opengis.net/def/crs/EPSG/0/${info.epsg}`,
      width: info.width,
      height: info.height,
      count: info.bandCount,
      band_descriptions: Array.from({ length: info.bandCount }, (_, i) => [`b${i + 1}`, '']),
      dtype: info.dtype,
      nodata_value: nodataJson(info.nodata),
      overviews: info.overviewFactors,
      minzoom: info.minzoom,
      maxzoom: info.maxzoom,
    };
  });

  app.get('/statistics', {
    schema: {
      tags, summary: `Per-band statistics of ${what} (read at up to max_size, default 1024)`,
      params: ParamsFor(family),
      querystring: queryObject({ ...RenderQuery, ...StatisticsQuery, ...SizeQuery, ...family.query }),
      response: jsonResponses,
    },
  }, async (request, reply) => {
    const resolved = await family.resolve(request);
    const options = statisticsOptions(request.query);
    const params = renderParams(request.query, await resolved.source.info());
    const grid = previewGrid(await resolved.source.frame(), { maxSize: request.query.max_size, width: request.query.width, height: request.query.height });
    if (await cacheHeaders(request, reply, resolved, grid)) return reply.code(304).send(null);
    return bandStatistics(await readData(resolved.source, grid, params), options);
  });

  app.post('/statistics', {
    schema: {
      tags, summary: `Zonal statistics of ${what} for each GeoJSON (multi)polygon feature`,
      params: ParamsFor(family),
      querystring: queryObject({ ...RenderQuery, ...StatisticsQuery, coord_crs: CrsQuery.coord_crs, max_size: SizeQuery.max_size, ...family.query }),
      body: Type.Object({ type: Type.String() }, { additionalProperties: true, description: 'A GeoJSON Feature or FeatureCollection (coord_crs, default CRS84)' }),
      response: { 200: JsonObject, 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const features = featuresOf(request.body);
    const options = statisticsOptions(request.query);
    const resolved = await family.resolve(request);
    const params = renderParams(request.query, await resolved.source.info());
    const frame = await resolved.source.frame();
    const { coordCrs } = crsParams(request.query);
    const results = [];
    for (const feature of features) {
      const { grid, coverage } = featureGrid(frame, polygonsOf(feature.geometry), coordCrs, request.query.max_size);
      const data = await readData(resolved.source, grid, params);
      results.push({ ...feature, properties: { ...(feature.properties ?? {}), statistics: bandStatistics(data, { ...options, coverage }) } });
    }
    return request.body.type === 'Feature' ? results[0]! : { type: 'FeatureCollection', features: results };
  });

  app.get('/point/:coordinates', {
    schema: {
      tags, summary: `Values of ${what} at {lon},{lat} (null where nodata)`,
      params: Type.Object({ ...family.params, coordinates: Type.String({ maxLength: 64, description: '{lon},{lat} in coord_crs' }) }),
      querystring: queryObject({ bidx: RenderQuery.bidx, expression: RenderQuery.expression, nodata: RenderQuery.nodata, coord_crs: CrsQuery.coord_crs, ...family.query }),
      response: jsonResponses,
    },
  }, async (request) => {
    const [x, y] = parseNumbers(request.params.coordinates, 2, 'coordinates') as [number, number];
    const resolved = await family.resolve(request);
    const params = renderParams(request.query, await resolved.source.info());
    const { coordCrs } = crsParams(request.query);
    const bidx = params.expression ? params.expression.bands : params.bidx;
    const point = await resolved.source.point(x, y, coordCrs, { bidx, nodata: params.nodata });
    if (!point) throw new MeridianError('RASTER_TILE_OUTSIDE_BOUNDS', `point ${x},${y} is outside the raster's bounds`);
    const pixel = {
      width: 1, height: 1, bandNames: point.bandNames,
      bands: point.values.map((value) => Float64Array.of(value ?? 0)),
      mask: Uint8Array.of(point.values.every((value) => value !== null) ? 255 : 0),
    };
    const result = params.expression ? applyExpression(pixel, params.expression) : pixel;
    const values = result.bands.map((band, b) => (result.mask[0] ? band[0]! : params.expression ? null : point.values[b] ?? null));
    const [lon, lat] = transformer(coordCrs, 'EPSG:4326')(x, y);
    return { coordinates: [lon, lat], values, band_names: result.bandNames };
  });

  const TmsParams = Type.Object({ ...family.params, tileMatrixSetId: Type.String({ maxLength: 64 }) });
  const tmsOf = (params: unknown) => tileMatrixSet((params as { tileMatrixSetId?: string }).tileMatrixSetId ?? 'WebMercatorQuad');
  const TileJsonQuery = queryObject({
    ...RenderQuery, ...TileQuery, ...family.query,
    tile_format: Type.Optional(Type.String({ pattern: '^[a-z]+$', maxLength: 8, description: 'Format of the tiles (default: TiTiler\'s automatic png/jpeg)' })),
    tile_scale: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: 'Tile scale (2 = 512-px tiles)' })),
    minzoom: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 })),
    maxzoom: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 })),
  });

  const tileJson = async (request: FastifyRequest) => {
    const tms = tmsOf(request.params);
    const resolved = await family.resolve(request);
    const info = await resolved.source.info();
    const query = request.query as Static<typeof TileJsonQuery>;
    renderParams(query, info);
    const { tile_format, tile_scale, minzoom, maxzoom, ...rest } = query;
    const tileQuery = new URLSearchParams();
    for (const [name, value] of Object.entries(rest)) for (const v of Array.isArray(value) ? value : [value]) tileQuery.append(name, String(v));
    const suffix = `${tile_scale && tile_scale > 1 ? `@${tile_scale}x` : ''}${tile_format ? `.${tile_format}` : ''}`;
    const text = tileQuery.toString();
    return {
      tilejson: '3.0.0',
      version: '1.0.0',
      scheme: 'xyz',
      tiles: [`${familyPath(request, family)}/tiles/${tms.id}/{z}/{x}/{y}${suffix}${text ? `?${text}` : ''}`],
      minzoom: minzoom ?? info.minzoom,
      maxzoom: maxzoom ?? info.maxzoom,
      bounds: info.bounds,
      center: [(info.bounds[0] + info.bounds[2]) / 2, (info.bounds[1] + info.bounds[3]) / 2, minzoom ?? info.minzoom],
    };
  };
  const tileJsonSchema = { tags, summary: `TileJSON 3.0.0 of ${what}`, querystring: TileJsonQuery, response: jsonResponses };
  app.get('/tilejson.json', { schema: { ...tileJsonSchema, params: ParamsFor(family) } }, tileJson);
  app.get('/:tileMatrixSetId/tilejson.json', { schema: { ...tileJsonSchema, params: TmsParams } }, tileJson);

  /** MapLibre draws WebMercatorQuad only, so the map page is for that tile matrix set. */
  const map = async (request: FastifyRequest, reply: FastifyReply) => {
    const tms = tmsOf(request.params);
    if (tms.id !== 'WebMercatorQuad') throw new MeridianError('RASTER_PARAMETER_INVALID', 'the map viewer shows WebMercatorQuad tiles only', { parameter: 'tileMatrixSetId' });
    await family.resolve(request);
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const tilejson = `${familyPath(request, family)}/${tms.id}/tilejson.json${search}`;
    return reply.type('text/html; charset=utf-8').send(mapPage(`${apiRoot(request)}/static`, tilejson));
  };
  const mapSchema = { tags, summary: `A MapLibre page showing ${what} (same parameters as tilejson.json)`, querystring: TileJsonQuery, response: { 200: Type.String({ description: 'text/html' }), 400: ErrorSchema, 404: ErrorSchema } };
  app.get('/map', { schema: { ...mapSchema, params: ParamsFor(family) } }, map);
  app.get('/:tileMatrixSetId/map', { schema: { ...mapSchema, params: TmsParams } }, map);
};
