/**
 * The steps every image-producing route shares: read the grid from a source (the bands an expression
 * needs, or bidx), evaluate the expression, then encode in the requested format — TiTiler's default
 * format is PNG when some pixel is masked and JPEG otherwise.
 */
import type { DataType } from './cog.ts';
import type { ColorMap } from './colormaps.ts';
import { encodeImage, encodeNpy, encodeTiff, MEDIA_TYPES, type OutputFormat } from './encode.ts';
import type { CompiledExpression } from './expression.ts';
import { allValid, type RasterData } from './raster-data.ts';
import type { RasterSource, SourceInfo } from './raster-source.ts';
import type { Resampling } from './read-part.ts';
import { renderImage, type Rescale } from './render.ts';
import type { Grid } from './warp.ts';

export interface RenderParams {
  bidx?: number[];
  expression?: CompiledExpression;
  nodata?: number | null;
  resampling?: Resampling;
  rescale?: Rescale;
  colormap?: ColorMap;
  returnMask: boolean;
}

export function applyExpression(data: RasterData, expression: CompiledExpression): RasterData {
  const count = data.width * data.height;
  const highest = Math.max(0, ...expression.bands);
  const values = new Float64Array(highest);
  const outputs = expression.parts.map(() => new Float64Array(count));
  const mask = new Uint8Array(data.mask);
  for (let i = 0; i < count; i++) {
    if (!mask[i]) continue;
    expression.bands.forEach((band, k) => { values[band - 1] = data.bands[k]![i]!; });
    for (let p = 0; p < outputs.length; p++) {
      const result = expression.parts[p]!(values);
      if (Number.isFinite(result)) outputs[p]![i] = result;
      else mask[i] = 0;
    }
  }
  return { width: data.width, height: data.height, bands: outputs, mask, bandNames: expression.source.split(';').map((part) => part.trim()).filter(Boolean) };
}

export async function readData(source: RasterSource, grid: Grid, params: RenderParams): Promise<RasterData> {
  const bidx = params.expression ? params.expression.bands : params.bidx;
  const data = await source.readGrid(grid, { bidx, nodata: params.nodata, resampling: params.resampling });
  return params.expression ? applyExpression(data, params.expression) : data;
}

export function defaultFormat(data: RasterData): OutputFormat {
  return allValid(data.mask) ? 'jpeg' : 'png';
}

export interface Encoded {
  body: Buffer;
  mediaType: string;
}

export async function encodeData(data: RasterData, grid: Grid, format: OutputFormat, params: RenderParams, info: SourceInfo): Promise<Encoded> {
  const mediaType = MEDIA_TYPES[format];
  const dtype: DataType = params.expression ? 'float32' : info.dtype;
  if (format === 'tif') return { body: encodeTiff(data, grid, gridEpsg(grid), dtype, params.nodata ?? info.nodata), mediaType };
  if (format === 'npy') return { body: encodeNpy(data, dtype), mediaType };
  const image = renderImage(data, { rescale: params.rescale, colormap: params.colormap, alpha: params.returnMask && format !== 'jpeg' });
  return { body: await encodeImage(image, format), mediaType };
}

function gridEpsg(grid: Grid): number {
  return Number(grid.crs.split(':')[1]);
}
