/**
 * Reading a COG onto an output grid (a tile, a preview, a bbox): pick the overview for the output
 * resolution, find the source window the grid covers (bounded), and resample each output pixel from it,
 * honouring nodata (the COG's or the request's) and an alpha band as the mask. Nearest neighbour — the
 * default and the tile path — samples straight from the cached decoded blocks: each output pixel is
 * located once (block, pixel in block), then every band is one indexed read, with no window copy.
 */
import { MeridianError } from '@meridian/core';
import type { BlockSet, Cog, CogInfo, NumericArray } from './cog.ts';
import { emptyRaster, type RasterData } from './raster-data.ts';
import { reachOf, resampleWindow, type LevelMapping, type Resampling } from './resample.ts';
import { pixelMap, sourcePixel, type Grid, type PixelMap } from './warp.ts';

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
  const result = emptyRaster(grid.width, grid.height, bands.map((band) => `b${band}`));
  const map = pixelMap(grid, info);
  const { across, down } = outputSpacing(map);
  const level = cog.levelFor(Math.min(across, down));
  const { factorX, factorY, width: levelWidth, height: levelHeight } = cog.levels[level]!;
  const mapping: LevelMapping = { map, scaleX: 1 / factorX, scaleY: 1 / factorY, spanX: across / factorX, spanY: down / factorY };
  const method = options.resampling ?? 'nearest';
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
    sampleNearest(set, new RowLocator(set, mapping, levelWidth, levelHeight), bands.length, info.alphaSample !== null, nodata, result);
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

/**
 * Where the output pixels of one row are in the block set: block index (-1 outside the level) and pixel
 * inside the block. Located a row at a time so the tables stay small (in cache) whatever the grid size.
 */
class RowLocator {
  readonly blockOf: Int32Array;
  readonly pixelOf: Int32Array;
  /** For a separable map: block column (relative to the set, -1 outside) and x inside the block, per output column. */
  readonly #columnBlock: Int32Array | null = null;
  readonly #columnPixel: Int32Array | null = null;

  constructor(private readonly set: BlockSet, private readonly mapping: LevelMapping, private readonly levelWidth: number, private readonly levelHeight: number) {
    const { map, scaleX } = mapping;
    this.blockOf = new Int32Array(map.width);
    this.pixelOf = new Int32Array(map.width);
    if (map.kind !== 'separable') return;
    const { blockWidth, firstColumn } = set;
    this.#columnBlock = new Int32Array(map.width);
    this.#columnPixel = new Int32Array(map.width);
    for (let column = 0; column < map.width; column++) {
      const x = map.columnXs[column]! * scaleX;
      if (!(x >= 0 && x < levelWidth)) { this.#columnBlock[column] = -1; continue; }
      const block = Math.floor(x / blockWidth);
      this.#columnBlock[column] = block - firstColumn;
      this.#columnPixel[column] = Math.floor(x) - block * blockWidth;
    }
  }

  locate(row: number): void {
    const { map, scaleX, scaleY } = this.mapping;
    const { blockWidth, blockHeight, firstColumn, firstRow, columns } = this.set;
    const { blockOf, pixelOf, levelWidth, levelHeight } = this;
    if (map.kind === 'separable') {
      const columnBlock = this.#columnBlock!, columnPixel = this.#columnPixel!;
      const y = map.rowYs[row]! * scaleY;
      const inside = y >= 0 && y < levelHeight;
      const block = Math.floor(y / blockHeight);
      const rowBlock = (block - firstRow) * columns;
      const rowPixel = (Math.floor(y) - block * blockHeight) * blockWidth;
      for (let column = 0; column < map.width; column++) {
        const c = columnBlock[column]!;
        blockOf[column] = inside && c >= 0 ? rowBlock + c : -1;
        pixelOf[column] = rowPixel + columnPixel[column]!;
      }
      return;
    }
    for (let column = 0, i = row * map.width; column < map.width; column++, i++) {
      const x = map.xs[i]! * scaleX, y = map.ys[i]! * scaleY;
      if (!(x >= 0 && y >= 0 && x < levelWidth && y < levelHeight)) { blockOf[column] = -1; continue; }
      const blockX = Math.floor(x / blockWidth), blockY = Math.floor(y / blockHeight);
      blockOf[column] = (blockY - firstRow) * columns + blockX - firstColumn;
      pixelOf[column] = (Math.floor(y) - blockY * blockHeight) * blockWidth + Math.floor(x) - blockX * blockWidth;
    }
  }
}

/** Nearest neighbour from the cached blocks, row by row; the last sample of the set is the alpha band when `hasAlpha`. */
function sampleNearest(set: BlockSet, locator: RowLocator, bandCount: number, hasAlpha: boolean, nodata: number | null, result: RasterData): void {
  const { stride, blocks, offsets } = set;
  const { blockOf, pixelOf } = locator;
  const alphaBlocks = hasAlpha ? blocks[bandCount]! : null;
  const alphaOffset = hasAlpha ? offsets[bandCount]! : 0;
  const { width, height, mask } = result;
  for (let row = 0; row < height; row++) {
    locator.locate(row);
    const start = row * width;
    for (let column = 0; column < width; column++) {
      const block = blockOf[column]!;
      if (block < 0) continue;
      const at = pixelOf[column]! * stride;
      if (alphaBlocks && alphaBlocks[block]![at + alphaOffset] === 0) continue;
      if (nodata !== null && hasNodata(blocks, offsets, bandCount, block, at, nodata)) continue;
      mask[start + column] = 255;
    }
    for (let b = 0; b < bandCount; b++) {
      const bandBlocks: NumericArray[] = blocks[b]!;
      const offset = offsets[b]!;
      const out = result.bands[b]!;
      // Neighbouring output pixels mostly share a block: look it up only when it changes.
      let current = -1;
      let values: NumericArray = bandBlocks[0]!;
      for (let column = 0; column < width; column++) {
        if (!mask[start + column]) continue;
        const block = blockOf[column]!;
        if (block !== current) values = bandBlocks[(current = block)]!;
        out[start + column] = values[pixelOf[column]! * stride + offset]!;
      }
    }
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
