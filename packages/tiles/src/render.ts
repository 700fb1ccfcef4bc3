/**
 * From values to an 8-bit image: `rescale` each band linearly to 0..255 (clipped; without rescale the
 * values are clipped as they are, like TiTiler's cast to uint8), then either a colour map (one band) or
 * grey / RGB, with the mask as the alpha channel.
 */
import { MeridianError } from '@meridian/core';
import { applyColorMap, type ColorMap } from './colormaps.ts';
import type { RasterData } from './raster-data.ts';

export type Rescale = Array<[number, number]>;

export interface RenderOptions {
  rescale?: Rescale;
  colormap?: ColorMap;
}

export interface Image8 {
  width: number;
  height: number;
  /** 2 (grey + alpha) or 4 (RGBA). */
  channels: 2 | 4;
  pixels: Uint8Array;
}

/** Parses TiTiler's `rescale` ("min,max", repeatable, one per band or one for all). */
export function parseRescale(values: string[]): Rescale {
  return values.map((value) => {
    const parts = value.split(',').map((part) => Number(part.trim()));
    if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0]! === parts[1]!) {
      throw new MeridianError('RASTER_PARAMETER_INVALID', `rescale "${value}" must be "min,max" with two different numbers`, { parameter: 'rescale' });
    }
    return [parts[0]!, parts[1]!] as [number, number];
  });
}

function scaler(rescale: Rescale | undefined, band: number): (value: number) => number {
  const range = rescale?.[Math.min(band, rescale.length - 1)];
  if (!range) return (value) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));
  const [min, max] = range;
  const factor = 255 / (max - min);
  return (value) => {
    const scaled = (value - min) * factor;
    return scaled < 0 ? 0 : scaled > 255 ? 255 : Math.round(scaled);
  };
}

export function renderImage(data: RasterData, options: RenderOptions): Image8 {
  const { width, height, bands, mask } = data;
  const count = width * height;
  const scales = bands.map((_, band) => scaler(options.rescale, band));
  if (options.colormap) {
    if (bands.length !== 1) {
      throw new MeridianError('RASTER_PARAMETER_INVALID', `a colormap applies to one band; this request has ${bands.length} (choose one with bidx or expression)`, { parameter: 'colormap' });
    }
    const pixels = new Uint8Array(count * 4);
    const values = bands[0]!;
    const toIndex = options.rescale ? scales[0]! : (value: number) => value;
    for (let i = 0; i < count; i++) {
      if (!mask[i]) continue;
      if (applyColorMap(options.colormap, toIndex(values[i]!), pixels, i * 4)) pixels[i * 4 + 3] = Math.min(pixels[i * 4 + 3]!, mask[i]!);
    }
    return { width, height, channels: 4, pixels };
  }
  if (bands.length >= 3) {
    const pixels = new Uint8Array(count * 4);
    const [r, g, b] = bands as [Float64Array, Float64Array, Float64Array];
    const [sr, sg, sb] = scales as [(v: number) => number, (v: number) => number, (v: number) => number];
    for (let i = 0; i < count; i++) {
      pixels[i * 4] = sr(r[i]!); pixels[i * 4 + 1] = sg(g[i]!); pixels[i * 4 + 2] = sb(b[i]!); pixels[i * 4 + 3] = mask[i]!;
    }
    return { width, height, channels: 4, pixels };
  }
  const pixels = new Uint8Array(count * 2);
  const grey = bands[0]!;
  const scale = scales[0]!;
  for (let i = 0; i < count; i++) {
    pixels[i * 2] = scale(grey[i]!);
    pixels[i * 2 + 1] = mask[i]!;
  }
  return { width, height, channels: 2, pixels };
}
