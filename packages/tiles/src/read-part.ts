/**
 * Reading a COG onto an output grid (a tile, a preview, a bbox): pick the overview for the output
 * resolution, find the source window the grid covers (bounded), and resample each output pixel from it,
 * honouring nodata (the COG's or the request's) and an alpha band as the mask. Nearest neighbour — the
 * default and the tile path — samples straight from the cached decoded blocks, with no window copy, into
 * arrays of the source's own type.
 */
import { MeridianError } from '@meridian/core';
import { ARRAY_TYPES, type BlockSet, type Cog, type CogInfo, type NumericArray } from './cog.ts';
import { emptyRaster, type RasterData } from './raster-data.ts';
import { reachOf, resampleWindow, type LevelMapping, type Resampling } from './resample.ts';
import { pixelMap, sourcePixel, type FullMap, type Grid, type PixelMap, type SeparableMap } from './warp.ts';

export { RESAMPLING_METHODS, type Resampling } from './resample.ts';

export interface ReadOptions {
  /** 1-based band indexes (TiTiler's bidx); all data bands when omitted. */
  bidx?: number[];
  /** Overrides the COG's nodata value. */
  nodata?: number | null;
  resampling?: Resampling;
  signal?: AbortSignal;
}

/** A read never decodes more than this many source pixels (per band): bounded time and memory. */
export const MAX_WINDOW_PIXELS = 4096 * 4096;

export function selectedBands(info: CogInfo, bidx: number[] | undefined): number[] {
  const bands = bidx ?? Array.from({ length: info.bandCount }, (_, i) => i + 1);
  for (const band of bands) {
    if (!Number.isInteger(band) || band < 1 || band > info.bandCount) {
      throw new MeridianError('RASTER_PARAMETER_INVALID', `bidx ${band} does not exist: the raster has bands 1..${info.bandCount}`, { parameter: 'bidx' });
    }
  }
  return bands;
}

/** The nodata value to mask (null: none); NaN nodata matches NaN values. Small enough for V8 to inline. */
function isNodata(value: number, nodata: number | null): boolean {
  return nodata !== null && (value === nodata || (nodata !== nodata && value !== value));
}

export async function readGrid(cog: Cog, grid: Grid, options: ReadOptions = {}): Promise<RasterData> {
  const { info } = cog;
  const bands = selectedBands(info, options.bidx);
  const method = options.resampling ?? 'nearest';
  // Nearest neighbour copies source values as they are: the source's own type holds them exactly.
  const result = emptyRaster(grid.width, grid.height, bands.map((band) => `b${band}`), method === 'nearest' ? ARRAY_TYPES[info.dtype] : Float64Array);
  const map = pixelMap(grid, info);
  const { across, down } = outputSpacing(map);
  const level = cog.levelFor(Math.min(across, down));
  const { factorX, factorY, width: levelWidth, height: levelHeight } = cog.levels[level]!;
  const mapping: LevelMapping = { map, scaleX: 1 / factorX, scaleY: 1 / factorY, spanX: across / factorX, spanY: down / factorY };
  const pad = reachOf(method, mapping);

  const [minX, minY, maxX, maxY] = sourceExtent(map, mapping.scaleX, mapping.scaleY);
  const window = {
    x0: Math.max(0, Math.floor(minX) - pad),
    y0: Math.max(0, Math.floor(minY) - pad),
    x1: Math.min(levelWidth, Math.floor(maxX) + 1 + pad),
    y1: Math.min(levelHeight, Math.floor(maxY) + 1 + pad),
  };
  if (window.x1 <= window.x0 || window.y1 <= window.y0) return result;
  const windowWidth = window.x1 - window.x0;
  const windowHeight = window.y1 - window.y0;
  if (windowWidth * windowHeight > MAX_WINDOW_PIXELS) {
    throw new MeridianError('RASTER_TOO_LARGE', `the request needs ${windowWidth}x${windowHeight} source pixels; the limit is ${MAX_WINDOW_PIXELS} pixels per read`, { limit: MAX_WINDOW_PIXELS });
  }

  const samples = bands.map((band) => band - 1);
  if (info.alphaSample !== null) samples.push(info.alphaSample);
  const nodata = options.nodata === undefined ? info.nodata : options.nodata;
  if (method === 'nearest') {
    const set = await cog.blocksFor(level, window, samples, options.signal);
    sampleNearest({ set, mapping, levelWidth, levelHeight, bandCount: bands.length, hasAlpha: info.alphaSample !== null, nodata }, result);
    return result;
  }
  const source = await cog.readWindow(level, window, samples, options.signal);
  const values = source.slice(0, bands.length);
  const alpha = info.alphaSample === null ? null : source[source.length - 1]!;
  const valid = (at: number): boolean => {
    if (alpha && alpha[at] === 0) return false;
    if (nodata !== null) for (const band of values) if (isNodata(band[at]!, nodata)) return false;
    return true;
  };
  resampleWindow(method, { x0: window.x0, y0: window.y0, width: windowWidth, height: windowHeight, bands: values, valid }, mapping, result);
  return result;
}

/** What nearest-neighbour sampling reads: the cached blocks, and how output pixels map onto the level. */
interface NearestInput {
  set: BlockSet;
  mapping: LevelMapping;
  levelWidth: number;
  levelHeight: number;
  bandCount: number;
  /** The last sample of the set is the alpha band. */
  hasAlpha: boolean;
  nodata: number | null;
}

/** Nearest neighbour from the cached blocks: a separable map (every tile of a north-up raster) by runs, any other pixel by pixel. */
function sampleNearest(input: NearestInput, result: RasterData): void {
  const { map } = input.mapping;
  if (map.kind === 'separable') sampleSeparable(input, map, result);
  else samplePixels(input, map, result);
}

/**
 * A separable map gives each output column one source column and each row one source row, so a row of
 * the output falls into runs of columns that read the same block: the block is looked up once per run
 * and each band is copied by a tight loop over the run.
 */
function sampleSeparable(input: NearestInput, map: SeparableMap, result: RasterData): void {
  const { set, mapping, levelWidth, levelHeight, bandCount, hasAlpha, nodata } = input;
  const { blockWidth, blockHeight, firstColumn, firstRow, columns, stride, blocks, offsets } = set;
  const { width, height, mask } = result;
  // Per output column: block column in the set (-1 outside the level) and the pixel's first value inside a block row.
  const columnBlock = new Int32Array(width);
  const columnOffset = new Int32Array(width);
  for (let column = 0; column < width; column++) {
    const x = map.columnXs[column]! * mapping.scaleX;
    if (!(x >= 0 && x < levelWidth)) { columnBlock[column] = -1; continue; }
    const block = Math.floor(x / blockWidth);
    columnBlock[column] = block - firstColumn;
    columnOffset[column] = (Math.floor(x) - block * blockWidth) * stride;
  }
  const plain = !hasAlpha && nodata === null;
  // Three bands of one pixel-interleaved block array (RGB imagery): copied together, one pass per run.
  const rgb = bandCount === 3 && blocks[0] === blocks[1] && blocks[1] === blocks[2];
  for (let row = 0; row < height; row++) {
    const y = map.rowYs[row]! * mapping.scaleY;
    if (!(y >= 0 && y < levelHeight)) continue;
    const blockRow = Math.floor(y / blockHeight);
    const rowBlocks = (blockRow - firstRow) * columns;
    const rowOffset = (Math.floor(y) - blockRow * blockHeight) * blockWidth * stride;
    const start = row * width;
    for (let from = 0; from < width;) {
      const blockColumn = columnBlock[from]!;
      let to = from + 1;
      while (to < width && columnBlock[to] === blockColumn) to++;
      if (blockColumn >= 0) {
        const block = rowBlocks + blockColumn;
        if (plain) mask.fill(255, start + from, start + to);
        else maskRun(input, block, rowOffset, columnOffset, from, to, start, mask);
        if (plain && rgb) copyRgbRun(blocks[0]![block]!, rowOffset, offsets, columnOffset, from, to, start, result.bands);
        else for (let b = 0; b < bandCount; b++) {
          const values = blocks[b]![block]!;
          const out = result.bands[b]!;
          const at = rowOffset + offsets[b]!;
          if (plain) for (let k = from; k < to; k++) out[start + k] = values[at + columnOffset[k]!]!;
          else for (let k = from; k < to; k++) if (mask[start + k]) out[start + k] = values[at + columnOffset[k]!]!;
        }
      }
      from = to;
    }
  }
}

/** One run of output pixels of the three bands, read from one pixel-interleaved block in a single pass. */
function copyRgbRun(values: NumericArray, rowOffset: number, offsets: number[], columnOffset: Int32Array, from: number, to: number, start: number, bands: NumericArray[]): void {
  const red = bands[0]!, green = bands[1]!, blue = bands[2]!;
  const r = rowOffset + offsets[0]!, g = rowOffset + offsets[1]!, b = rowOffset + offsets[2]!;
  for (let k = from; k < to; k++) {
    const at = columnOffset[k]!;
    red[start + k] = values[r + at]!;
    green[start + k] = values[g + at]!;
    blue[start + k] = values[b + at]!;
  }
}

/** Marks valid the pixels of a run that are neither transparent (alpha 0) nor nodata in any band. */
function maskRun(input: NearestInput, block: number, rowOffset: number, columnOffset: Int32Array, from: number, to: number, start: number, mask: Uint8Array): void {
  const { set: { blocks, offsets }, bandCount, hasAlpha, nodata } = input;
  const alpha = hasAlpha ? blocks[bandCount]![block]! : null;
  const alphaOffset = hasAlpha ? offsets[bandCount]! : 0;
  for (let k = from; k < to; k++) {
    const at = rowOffset + columnOffset[k]!;
    if (alpha && alpha[at + alphaOffset] === 0) continue;
    if (nodata !== null && hasNodata(blocks, offsets, bandCount, block, at, nodata)) continue;
    mask[start + k] = 255;
  }
}

/** Any other map (a warp that is not separable): each output pixel located on its own. */
function samplePixels(input: NearestInput, map: FullMap, result: RasterData): void {
  const { set, mapping: { scaleX, scaleY }, levelWidth, levelHeight, bandCount, hasAlpha, nodata } = input;
  const { blockWidth, blockHeight, firstColumn, firstRow, columns, stride, blocks, offsets } = set;
  const alphaBlocks = hasAlpha ? blocks[bandCount]! : null;
  const alphaOffset = hasAlpha ? offsets[bandCount]! : 0;
  for (let i = 0; i < map.xs.length; i++) {
    const x = map.xs[i]! * scaleX, y = map.ys[i]! * scaleY;
    if (!(x >= 0 && y >= 0 && x < levelWidth && y < levelHeight)) continue;
    const blockX = Math.floor(x / blockWidth), blockY = Math.floor(y / blockHeight);
    const block = (blockY - firstRow) * columns + blockX - firstColumn;
    const at = ((Math.floor(y) - blockY * blockHeight) * blockWidth + Math.floor(x) - blockX * blockWidth) * stride;
    if (alphaBlocks && alphaBlocks[block]![at + alphaOffset] === 0) continue;
    if (nodata !== null && hasNodata(blocks, offsets, bandCount, block, at, nodata)) continue;
    result.mask[i] = 255;
    for (let b = 0; b < bandCount; b++) result.bands[b]![i] = blocks[b]![block]![at + offsets[b]!]!;
  }
}

function hasNodata(blocks: NumericArray[][], offsets: number[], bandCount: number, block: number, at: number, nodata: number): boolean {
  for (let b = 0; b < bandCount; b++) if (isNodata(blocks[b]![block]![at + offsets[b]!]!, nodata)) return true;
  return false;
}

/** Smallest and largest finite value of `values` times `scale`. */
function range(values: Float64Array, scale: number): [number, number] {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]! * scale;
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/** The extent of the map's finite source positions, in level pixels: minX, minY, maxX, maxY. */
function sourceExtent(map: PixelMap, scaleX: number, scaleY: number): [number, number, number, number] {
  if (map.kind === 'full') return [map.extent[0] * scaleX, map.extent[1] * scaleY, map.extent[2] * scaleX, map.extent[3] * scaleY];
  const [minX, maxX] = range(map.columnXs, scaleX);
  const [minY, maxY] = range(map.rowYs, scaleY);
  return [minX, minY, maxX, maxY];
}

/** Full-resolution source pixels per output pixel across and down, measured through the middle of the grid. */
function outputSpacing(map: PixelMap): { across: number; down: number } {
  const { width, height } = map;
  const midRow = Math.floor(height / 2), midColumn = Math.floor(width / 2);
  const distance = (a: [number, number], b: [number, number]) => Math.hypot(b[0] - a[0], b[1] - a[1]);
  const across = width > 1 ? distance(sourcePixel(map, 0, midRow), sourcePixel(map, width - 1, midRow)) / (width - 1) : Infinity;
  const down = height > 1 ? distance(sourcePixel(map, midColumn, 0), sourcePixel(map, midColumn, height - 1)) / (height - 1) : Infinity;
  const finite = (value: number, other: number) => (Number.isFinite(value) ? value : Number.isFinite(other) ? other : 1);
  return { across: finite(across, down), down: finite(down, across) };
}
