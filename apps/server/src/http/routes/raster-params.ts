/**
 * Query parameters of the raster routes, with TiTiler's names (bidx, expression, nodata, rescale,
 * colormap_name, colormap, resampling, return_mask, buffer, tilesize, coord_crs, dst_crs, max_size,
 * width, height, pixel_selection), their TypeBox schemas (so /api/openapi.json documents them), and
 * their parsing into the tiles package's RenderParams.
 */
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { MeridianError } from '@meridian/core';
import {
  compileExpression, MAX_EXPRESSION_LENGTH, namedColorMap, parseColorMap, parseCrs, parseRescale, PIXEL_SELECTIONS,
  RESAMPLING_METHODS, type PixelSelection, type RenderParams, type Resampling, type SourceInfo,
} from '@meridian/tiles';

const Bidx = Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), { maxItems: 64, description: 'Band indexes (1-based), repeatable: bidx=1&bidx=2' });

export const RenderQuery = {
  bidx: Type.Optional(Bidx),
  expression: Type.Optional(Type.String({ maxLength: MAX_EXPRESSION_LENGTH, description: 'Band math, e.g. (b4-b3)/(b4+b3); ";" separates output bands' })),
  nodata: Type.Optional(Type.String({ maxLength: 32, description: 'Nodata value overriding the raster\'s (a number or "nan")' })),
  rescale: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64, description: 'min,max per band, repeatable' })),
  colormap_name: Type.Optional(Type.String({ maxLength: 64, description: 'A named colour map (GET /api/raster/colorMaps)' })),
  colormap: Type.Optional(Type.String({ maxLength: 100_000, description: 'A JSON colour map: {"value": [r,g,b,a]} or [[[min,max],[r,g,b,a]], …]' })),
  resampling: Type.Optional(Type.String({ maxLength: 32, description: `Resampling method: ${RESAMPLING_METHODS.join(', ')} (default nearest)` })),
  return_mask: Type.Optional(Type.Boolean({ description: 'Add the mask as alpha (PNG, WEBP); default true' })),
};

export const AssetsQuery = {
  assets: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 16, description: 'COG assets of the item to read, repeatable or comma-separated; their bands are stacked in this order (bidx and b1..bN count across them). Default: the item\'s data asset' })),
};

export const MosaicQuery = {
  pixel_selection: Type.Optional(Type.Union(PIXEL_SELECTIONS.map((method) => Type.Literal(method)), { description: 'How overlapping items combine (default first)' })),
};

export const TileQuery = {
  buffer: Type.Optional(Type.Integer({ minimum: 0, maximum: 64, description: 'Pixels added on each side of the tile' })),
  tilesize: Type.Optional(Type.Integer({ minimum: 16, maximum: 1024, description: 'Tile size in pixels (default 256, 512 with @2x)' })),
};

export const SizeQuery = {
  max_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, description: 'Longest side of the output in pixels' })),
  width: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
  height: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
};

export const CrsQuery = {
  coord_crs: Type.Optional(Type.String({ maxLength: 100, description: 'CRS of the coordinates given (default EPSG:4326)' })),
  dst_crs: Type.Optional(Type.String({ maxLength: 100, description: 'CRS of the output (default: coord_crs)' })),
};

export const StatisticsQuery = {
  p: Type.Optional(Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { maxItems: 20, description: 'Percentiles, repeatable (default 2 and 98)' })),
  histogram_bins: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Histogram bins (default 10)' })),
  histogram_range: Type.Optional(Type.String({ maxLength: 64, description: 'min,max of the histogram' })),
};

export function queryObject<T extends TProperties>(properties: T): TObject<T> {
  return Type.Object(properties, { additionalProperties: false });
}

type RenderQueryValues = Partial<{ [K in keyof typeof RenderQuery]: Static<(typeof RenderQuery)[K]> }>;

function parseNodata(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  if (text.toLowerCase() === 'nan') return NaN;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `nodata "${text}" is not a number or "nan"`, { parameter: 'nodata' });
  }
  return value;
}

/** TiTiler's resampling names; any other (gauss, ...) is a 400 that lists the supported ones. */
function parseResampling(text: string | undefined): Resampling | undefined {
  if (text === undefined) return undefined;
  if (!(RESAMPLING_METHODS as readonly string[]).includes(text)) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `resampling "${text.slice(0, 32)}" is not supported; use one of ${RESAMPLING_METHODS.join(', ')}`, { parameter: 'resampling' });
  }
  return text as Resampling;
}

export function renderParams(query: RenderQueryValues, info: SourceInfo): RenderParams {
  if (query.colormap_name && query.colormap) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', 'give colormap_name or colormap, not both', { parameter: 'colormap' });
  }
  if (query.expression && query.bidx) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', 'give bidx or expression, not both', { parameter: 'expression' });
  }
  return {
    bidx: query.bidx,
    expression: query.expression ? compileExpression(query.expression, info.bandCount) : undefined,
    nodata: parseNodata(query.nodata),
    resampling: parseResampling(query.resampling),
    rescale: query.rescale ? parseRescale(query.rescale) : undefined,
    colormap: query.colormap_name ? { kind: 'ramp', table: namedColorMap(query.colormap_name) } : query.colormap ? parseColorMap(query.colormap) : undefined,
    returnMask: query.return_mask ?? true,
  };
}

export function pixelSelection(query: { pixel_selection?: PixelSelection }): PixelSelection {
  return query.pixel_selection ?? 'first';
}

export function crsParams(query: { coord_crs?: string; dst_crs?: string }): { coordCrs: string; dstCrs: string } {
  const coordCrs = parseCrs(query.coord_crs ?? 'EPSG:4326');
  return { coordCrs, dstCrs: query.dst_crs ? parseCrs(query.dst_crs) : coordCrs };
}

export function histogramRange(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const [min, max] = parseRescale([text])[0]!;
  return [min, max];
}

/** "12.5,-3" → [12.5, -3] for path parameters such as point/{lon},{lat}. */
export function parseNumbers(text: string, count: number, what: string): number[] {
  const numbers = text.split(',').map((part) => Number(part));
  if (numbers.length !== count || numbers.some((n, i) => !Number.isFinite(n) || text.split(',')[i]!.trim() === '')) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `${what} "${text}" must be ${count} comma-separated numbers`, { parameter: what });
  }
  return numbers;
}
