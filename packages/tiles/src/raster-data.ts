import type { NumericArray } from './cog.ts';

/**
 * Pixels in memory: one array per band plus a mask (255 = valid, 0 = nodata/outside). Bands hold 64-bit
 * floats, except where a read copies source values unchanged (nearest neighbour): those keep the
 * source's own type — exact, and for 8-bit imagery eight times less memory to write and read again.
 */
export interface RasterData {
  width: number;
  height: number;
  bands: NumericArray[];
  mask: Uint8Array;
  bandNames: string[];
}

export type BandArrayType = new (length: number) => NumericArray;

export function emptyRaster(width: number, height: number, bandNames: string[], type: BandArrayType = Float64Array): RasterData {
  return { width, height, bands: bandNames.map(() => new type(width * height)), mask: new Uint8Array(width * height), bandNames };
}

/** True when no pixel is masked. */
export function allValid(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) return false;
  return true;
}
