/** A RasterSource over one COG. */
import type { Cog } from './cog.ts';
import { transformBounds, transformer } from './crs.ts';
import type { Frame } from './frame.ts';
import type { RasterData } from './raster-data.ts';
import type { PointValues, RasterSource, SourceInfo } from './raster-source.ts';
import { readGrid, selectedBands, type ReadOptions } from './read-part.ts';
import { DEFAULT_TILE_SIZE, tileMatrixSet, zoomForResolution } from './tms.ts';
import type { Grid } from './warp.ts';

/** Describing a COG reprojects its bounds (tens of proj4 calls): done once per opened COG. */
const described = new WeakMap<Cog, SourceInfo>();

export class CogSource implements RasterSource {
  constructor(readonly cog: Cog) {}

  async versionFor(): Promise<string> {
    return this.cog.id;
  }

  async info(): Promise<SourceInfo> {
    let known = described.get(this.cog);
    if (!known) described.set(this.cog, (known = this.#describe()));
    return known;
  }

  #describe(): SourceInfo {
    const { info } = this.cog;
    const bounds = transformBounds(info.bounds, info.crs, 'EPSG:4326');
    const mercator = transformBounds(info.bounds, info.crs, 'EPSG:3857');
    const resolution = (mercator[2] - mercator[0]) / info.width;
    /** The zoom where the whole raster fits in about one tile, as rio-tiler's minzoom. */
    const wholeInOneTile = (resolution * Math.max(info.width, info.height)) / DEFAULT_TILE_SIZE;
    const tms = tileMatrixSet('WebMercatorQuad');
    return {
      bounds,
      crs: info.crs,
      epsg: info.epsg,
      width: info.width,
      height: info.height,
      bandCount: info.bandCount,
      dtype: info.dtype,
      nodata: info.nodata,
      overviewFactors: info.overviewFactors,
      minzoom: zoomForResolution(tms, wholeInOneTile),
      maxzoom: zoomForResolution(tms, resolution),
    };
  }

  async frame(): Promise<Frame> {
    const { info } = this.cog;
    const [originX, resX, , originY, , resY] = info.geotransform;
    return { crs: info.crs, originX, originY, resX, resY: -resY, width: info.width, height: info.height };
  }

  readGrid(grid: Grid, options: ReadOptions): Promise<RasterData> {
    return readGrid(this.cog, grid, options);
  }

  async point(x: number, y: number, crs: string, options: ReadOptions): Promise<PointValues | null> {
    const { info } = this.cog;
    const [px, py] = transformer(crs, info.crs)(x, y);
    const [originX, resX, , originY, , resY] = info.geotransform;
    const column = Math.floor((px - originX) / resX);
    const row = Math.floor((py - originY) / resY);
    if (!(column >= 0 && row >= 0 && column < info.width && row < info.height)) return null;
    const bands = selectedBands(info, options.bidx);
    const cell: Grid = { crs: info.crs, bounds: [originX + column * resX, originY + (row + 1) * resY, originX + (column + 1) * resX, originY + row * resY], width: 1, height: 1 };
    const data = await readGrid(this.cog, cell, { ...options, resampling: 'nearest' });
    return { values: data.bands.map((band) => (data.mask[0] ? band[0]! : null)), bandNames: bands.map((band) => `b${band}`) };
  }
}
