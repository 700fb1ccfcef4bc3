/** Pixels in memory: one Float64Array per band plus a mask (255 = valid, 0 = nodata/outside). */
export interface RasterData {
  width: number;
  height: number;
  bands: Float64Array[];
  mask: Uint8Array;
  bandNames: string[];
}

export function emptyRaster(width: number, height: number, bandNames: string[]): RasterData {
  return { width, height, bands: bandNames.map(() => new Float64Array(width * height)), mask: new Uint8Array(width * height), bandNames };
}
