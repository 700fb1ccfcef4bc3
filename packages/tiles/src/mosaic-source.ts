/**
 * A RasterSource over many COGs (the items of a registered search). Items come from a bounded scan
 * (at most `itemLimit` items per read, in the search's order) and are combined per pixel with TiTiler's
 * `pixel_selection`: first (stops reading once every pixel is filled), highest, lowest, mean. Reading
 * also stops at `timeLimitMs`, returning what was combined so far.
 */
import { MeridianError } from '@meridian/core';
import type { Cog } from './cog.ts';
import { CogSource } from './cog-source.ts';
import { transformBounds } from './crs.ts';
import type { Frame } from './frame.ts';
import { emptyRaster, type RasterData } from './raster-data.ts';
import type { PointValues, RasterSource, SourceInfo } from './raster-source.ts';
import type { ReadOptions } from './read-part.ts';
import type { Bounds } from './tms.ts';
import type { Grid } from './warp.ts';

export type PixelSelection = 'first' | 'highest' | 'lowest' | 'mean';
export const PIXEL_SELECTIONS: readonly PixelSelection[] = ['first', 'highest', 'lowest', 'mean'];

export interface MosaicItem {
  collection: string;
  id: string;
  /** CRS84 bounds (the STAC item's bbox). */
  bounds: Bounds;
  open(): Promise<Cog>;
}

export interface MosaicItems {
  /** Items intersecting `bounds` (CRS84; null = anywhere), at most `limit`, in the search's order. */
  itemsIn(bounds: Bounds | null, limit: number): Promise<MosaicItem[]>;
}

export interface MosaicOptions {
  pixelSelection: PixelSelection;
  itemLimit: number;
  timeLimitMs: number;
}

export const DEFAULT_MOSAIC_OPTIONS: MosaicOptions = { pixelSelection: 'first', itemLimit: 100, timeLimitMs: 10_000 };

function intersects(a: Bounds, b: Bounds): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Combines item layers into `result` per the pixel selection; `counts` is for mean. */
class Combiner {
  readonly result: RasterData;
  readonly #counts: Uint16Array;
  #filled = 0;

  constructor(private readonly method: PixelSelection, grid: Grid, bandNames: string[]) {
    this.result = emptyRaster(grid.width, grid.height, bandNames);
    this.#counts = new Uint16Array(grid.width * grid.height);
  }

  get full(): boolean {
    return this.method === 'first' && this.#filled === this.result.mask.length;
  }

  add(layer: RasterData): void {
    const { result, method } = this;
    for (let i = 0; i < layer.mask.length; i++) {
      if (!layer.mask[i]) continue;
      const first = !result.mask[i];
      if (first) {
        result.mask[i] = 255;
        this.#filled++;
      }
      this.#counts[i]!++;
      for (let b = 0; b < result.bands.length; b++) {
        const value = layer.bands[b]![i]!;
        const current = result.bands[b]!;
        if (first) current[i] = value;
        else if (method === 'highest') current[i] = Math.max(current[i]!, value);
        else if (method === 'lowest') current[i] = Math.min(current[i]!, value);
        else if (method === 'mean') current[i]! += value;
      }
    }
  }

  finish(): RasterData {
    if (this.method === 'mean') {
      for (const band of this.result.bands) for (let i = 0; i < band.length; i++) if (this.#counts[i]) band[i]! /= this.#counts[i]!;
    }
    return this.result;
  }
}

export class MosaicSource implements RasterSource {
  /** A source lives for one request: the ETag and the read of the same grid share one scan. */
  readonly #scans = new Map<string, Promise<MosaicItem[]>>();

  constructor(
    private readonly items: MosaicItems,
    private readonly options: MosaicOptions = DEFAULT_MOSAIC_OPTIONS,
  ) {}

  #itemsIn(bounds: Bounds | null): Promise<MosaicItem[]> {
    const key = bounds ? bounds.join(',') : 'all';
    let scan = this.#scans.get(key);
    if (!scan) this.#scans.set(key, (scan = this.items.itemsIn(bounds, this.options.itemLimit)));
    return scan;
  }

  /** The items a read would combine and their COGs' versions (blob ETags): any change changes it. */
  async versionFor(grid: Grid | null): Promise<string> {
    const bounds = grid ? transformBounds(grid.bounds, grid.crs, 'EPSG:4326') : null;
    const items = await this.#itemsIn(bounds);
    const versions = await Promise.all(items.map(async (item) => `${item.collection}/${item.id}=${(await item.open()).id}`));
    return `${this.options.pixelSelection}|${versions.join('|')}`;
  }

  async #all(): Promise<MosaicItem[]> {
    const items = await this.#itemsIn(null);
    if (items.length === 0) throw new MeridianError('RASTER_NO_DATA', 'no item of the search has raster data');
    return items;
  }

  async info(): Promise<SourceInfo> {
    const items = await this.#all();
    const info = await new CogSource(await items[0]!.open()).info();
    const frame = await this.frame();
    return { ...info, bounds: [frame.originX, frame.originY - frame.resY * frame.height, frame.originX + frame.resX * frame.width, frame.originY], crs: 'EPSG:4326', epsg: 4326, width: frame.width, height: frame.height };
  }

  /** A CRS84 grid over the union of the items, at the first item's resolution. */
  async frame(): Promise<Frame> {
    const items = await this.#all();
    const union: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { bounds } of items) {
      union[0] = Math.min(union[0], bounds[0]); union[1] = Math.min(union[1], bounds[1]);
      union[2] = Math.max(union[2], bounds[2]); union[3] = Math.max(union[3], bounds[3]);
    }
    const cog = await items[0]!.open();
    const firstBounds = transformBounds(cog.info.bounds, cog.info.crs, 'EPSG:4326');
    const res = (firstBounds[2] - firstBounds[0]) / cog.info.width;
    return { crs: 'EPSG:4326', originX: union[0], originY: union[3], resX: res, resY: res, width: Math.max(1, Math.round((union[2] - union[0]) / res)), height: Math.max(1, Math.round((union[3] - union[1]) / res)) };
  }

  async readGrid(grid: Grid, options: ReadOptions): Promise<RasterData> {
    const gridBounds = transformBounds(grid.bounds, grid.crs, 'EPSG:4326');
    const items = await this.#itemsIn(gridBounds);
    const deadline = Date.now() + this.options.timeLimitMs;
    let combiner: Combiner | null = null;
    for (const item of items) {
      if (!intersects(item.bounds, gridBounds)) continue;
      const layer = await new CogSource(await item.open()).readGrid(grid, options);
      combiner ??= new Combiner(this.options.pixelSelection, grid, layer.bandNames);
      combiner.add(layer);
      if (combiner.full || Date.now() > deadline) break;
    }
    return combiner?.finish() ?? emptyRaster(grid.width, grid.height, (options.bidx ?? [1]).map((band) => `b${band}`));
  }

  async point(x: number, y: number, crs: string, options: ReadOptions): Promise<PointValues | null> {
    const grid: Grid = { crs, bounds: [x, y, x, y], width: 1, height: 1 };
    const position = transformBounds(grid.bounds, crs, 'EPSG:4326');
    let combined: PointValues | null = null;
    const items = await this.#itemsIn(position);
    const layers: PointValues[] = [];
    for (const item of items) {
      const values = await new CogSource(await item.open()).point(x, y, crs, options);
      if (!values) continue;
      layers.push(values);
      if (this.options.pixelSelection === 'first' && values.values.every((v) => v !== null)) break;
    }
    for (const layer of layers) {
      if (!combined) {
        combined = { values: [...layer.values], bandNames: layer.bandNames };
        continue;
      }
      combined.values = combined.values.map((current, b) => selectValue(this.options.pixelSelection, current, layer.values[b] ?? null));
    }
    if (combined && this.options.pixelSelection === 'mean') {
      combined.values = combined.values.map((_, b) => {
        const present = layers.map((layer) => layer.values[b]).filter((v): v is number => v !== null && v !== undefined);
        return present.length ? present.reduce((sum, v) => sum + v, 0) / present.length : null;
      });
    }
    return combined;
  }
}

function selectValue(method: PixelSelection, current: number | null, next: number | null): number | null {
  if (next === null) return current;
  if (current === null) return next;
  if (method === 'highest') return Math.max(current, next);
  if (method === 'lowest') return Math.min(current, next);
  return current;
}
