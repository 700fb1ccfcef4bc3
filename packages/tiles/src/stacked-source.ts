/**
 * Several assets of one STAC item read as one raster (TiTiler's `assets=`): their bands are stacked in
 * the order the assets are given, so bidx and expression's b1..bN count across the stack, and each band
 * is named "{asset}_b{n}" as rio-tiler names them. Every asset is read onto the same output grid (they
 * may differ in CRS and resolution); a pixel is valid where every asset read for it is valid.
 */
import { MeridianError } from '@meridian/core';
import type { DataType } from './cog.ts';
import type { Frame } from './frame.ts';
import type { RasterData } from './raster-data.ts';
import type { PointValues, RasterSource, SourceInfo } from './raster-source.ts';
import type { ReadOptions } from './read-part.ts';
import type { Grid } from './warp.ts';

export interface NamedSource {
  name: string;
  source: RasterSource;
}

/** Where stacked band n (1-based) comes from: the asset's index and its own 1-based band. */
interface BandOrigin {
  layer: number;
  band: number;
}

/** One asset's part of a read: its bands to read, and where each lands in the output. */
interface LayerRead {
  layer: number;
  bidx: number[];
  positions: number[];
}

export class StackedSource implements RasterSource {
  #origins: Promise<BandOrigin[]> | null = null;

  constructor(private readonly layers: NamedSource[]) {
    if (layers.length === 0) throw new MeridianError('INTERNAL_ERROR', 'a stack needs at least one asset');
  }

  #bandOrigins(): Promise<BandOrigin[]> {
    this.#origins ??= Promise.all(this.layers.map((layer) => layer.source.info())).then((infos) =>
      infos.flatMap((info, layer) => Array.from({ length: info.bandCount }, (_, b) => ({ layer, band: b + 1 }))));
    return this.#origins;
  }

  /** The reads of each asset that `bidx` (stacked, 1-based; all bands when omitted) needs. */
  async #plan(bidx: number[] | undefined): Promise<LayerRead[]> {
    const origins = await this.#bandOrigins();
    const wanted = bidx ?? origins.map((_, i) => i + 1);
    const reads = new Map<number, LayerRead>();
    wanted.forEach((stacked, position) => {
      const origin = origins[stacked - 1];
      if (!Number.isInteger(stacked) || !origin) {
        throw new MeridianError('RASTER_PARAMETER_INVALID', `bidx ${stacked} does not exist: the stacked assets have bands 1..${origins.length}`, { parameter: 'bidx' });
      }
      let read = reads.get(origin.layer);
      if (!read) reads.set(origin.layer, (read = { layer: origin.layer, bidx: [], positions: [] }));
      read.bidx.push(origin.band);
      read.positions.push(position);
    });
    return [...reads.values()];
  }

  async versionFor(grid: Grid | null): Promise<string> {
    const versions = await Promise.all(this.layers.map(async ({ name, source }) => `${name}=${await source.versionFor(grid)}`));
    return versions.join('|');
  }

  async info(): Promise<SourceInfo> {
    const infos = await Promise.all(this.layers.map((layer) => layer.source.info()));
    const first = infos[0]!;
    const same = <T>(pick: (info: SourceInfo) => T): boolean => infos.every((info) => Object.is(pick(info), pick(first)));
    const dtype: DataType = same((info) => info.dtype) ? first.dtype : 'float64';
    return {
      ...first,
      bounds: [
        Math.min(...infos.map((info) => info.bounds[0])), Math.min(...infos.map((info) => info.bounds[1])),
        Math.max(...infos.map((info) => info.bounds[2])), Math.max(...infos.map((info) => info.bounds[3])),
      ],
      bandCount: infos.reduce((sum, info) => sum + info.bandCount, 0),
      dtype,
      nodata: same((info) => info.nodata) ? first.nodata : null,
      minzoom: Math.min(...infos.map((info) => info.minzoom)),
      maxzoom: Math.max(...infos.map((info) => info.maxzoom)),
    };
  }

  /** The first asset's pixel grid (previews and extracts follow it). */
  frame(): Promise<Frame> {
    return this.layers[0]!.source.frame();
  }

  async readGrid(grid: Grid, options: ReadOptions): Promise<RasterData> {
    const reads = await this.#plan(options.bidx);
    const count = (options.bidx ?? (await this.#bandOrigins())).length;
    const result: RasterData = { width: grid.width, height: grid.height, bands: new Array(count), mask: new Uint8Array(grid.width * grid.height).fill(255), bandNames: new Array(count) };
    const layers = await Promise.all(reads.map((read) => this.layers[read.layer]!.source.readGrid(grid, { ...options, bidx: read.bidx })));
    reads.forEach((read, k) => {
      const layer = layers[k]!;
      read.positions.forEach((position, j) => {
        result.bands[position] = layer.bands[j]!;
        result.bandNames[position] = `${this.layers[read.layer]!.name}_b${read.bidx[j]}`;
      });
      for (let i = 0; i < result.mask.length; i++) if (!layer.mask[i]) result.mask[i] = 0;
    });
    return result;
  }

  async point(x: number, y: number, crs: string, options: ReadOptions): Promise<PointValues | null> {
    const reads = await this.#plan(options.bidx);
    const points = await Promise.all(reads.map((read) => this.layers[read.layer]!.source.point(x, y, crs, { ...options, bidx: read.bidx })));
    if (points.every((point) => point === null)) return null;
    const count = reads.reduce((sum, read) => sum + read.positions.length, 0);
    const values: Array<number | null> = new Array(count).fill(null);
    const bandNames: string[] = new Array(count).fill('');
    reads.forEach((read, k) => {
      read.positions.forEach((position, j) => {
        values[position] = points[k]?.values[j] ?? null;
        bandNames[position] = `${this.layers[read.layer]!.name}_b${read.bidx[j]}`;
      });
    });
    return { values, bandNames };
  }
}
