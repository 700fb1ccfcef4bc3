/**
 * From values to an 8-bit image: `rescale` each band linearly to 0..255 (clipped; without rescale the
 * values are clipped as they are, like TiTiler's cast to uint8), then either a colour map (one band) or
 * grey / RGB, with the mask as the alpha channel when one is asked for and some pixel is transparent.
 */
import { MeridianError } from '@meridian/core';
import { applyColorMap, type ColorMap } from './colormaps.ts';
import type { NumericArray } from './cog.ts';
import { allValid, type RasterData } from './raster-data.ts';

export type Rescale = Array<[number, number]>;

export interface RenderOptions {
  rescale?: Rescale;
  colormap?: ColorMap;
  /** An alpha channel (the mask, and a colour map's own alpha) where the format can carry it and it is wanted. */
  alpha: boolean;
}

export interface Image8 {
  width: number;
  height: number;
  /** 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA): alpha only when some pixel is not opaque. */
  channels: 1 | 2 | 3 | 4;
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

/**
 * Writes `values` as bytes into every `channels`-th byte of `out` from `channel`: rescaled linearly
 * from `range` to 0..255 when given, else clipped; rounded half up, clipped to 0..255. One tight loop
 * per band (no per-pixel closure call): this runs for every pixel of every tile.
 */
function writeBytes(values: NumericArray, range: [number, number] | undefined, out: Uint8Array, channel: number, channels: number): void {
  const min = range ? range[0] : 0;
  const factor = range ? 255 / (range[1] - range[0]) : 1;
  for (let i = 0, to = channel; i < values.length; i++, to += channels) {
    const scaled = (values[i]! - min) * factor;
    out[to] = scaled < 0 ? 0 : scaled > 255 ? 255 : Math.round(scaled);
  }
}

/**
 * Bytes without a rescale are already what the image shows (8-bit imagery, the common tile): grey or
 * RGB, and the mask as alpha when given, interleaved in one pass (about twice as fast as a pass per band).
 */
function interleaveBytes(colours: Uint8Array[], alpha: Uint8Array | null, out: Uint8Array): void {
  const channels = colours.length + (alpha ? 1 : 0);
  if (colours.length === 3) {
    const [red, green, blue] = colours as [Uint8Array, Uint8Array, Uint8Array];
    for (let i = 0, to = 0; i < red.length; i++, to += channels) {
      out[to] = red[i]!; out[to + 1] = green[i]!; out[to + 2] = blue[i]!;
      if (alpha) out[to + 3] = alpha[i]!;
    }
    return;
  }
  const grey = colours[0]!;
  for (let i = 0, to = 0; i < grey.length; i++, to += channels) {
    out[to] = grey[i]!;
    if (alpha) out[to + 1] = alpha[i]!;
  }
}

function writeMask(mask: Uint8Array, out: Uint8Array, channels: number): void {
  for (let i = 0, to = channels - 1; i < mask.length; i++, to += channels) out[to] = mask[i]!;
}

/** The first `channels` of every `sourceChannels` bytes: an image without the channels it does not need. */
export function keepChannels(pixels: Uint8Array, sourceChannels: number, channels: number): Uint8Array {
  const out = new Uint8Array((pixels.length / sourceChannels) * channels);
  for (let from = 0, to = 0; from < pixels.length; from += sourceChannels) for (let c = 0; c < channels; c++) out[to++] = pixels[from + c]!;
  return out;
}

function opaque(pixels: Uint8Array): boolean {
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 255) return false;
  return true;
}

export function renderImage(data: RasterData, options: RenderOptions): Image8 {
  const { width, height, bands, mask } = data;
  const count = width * height;
  const range = (band: number) => options.rescale?.[Math.min(band, options.rescale.length - 1)];
  if (options.colormap) {
    if (bands.length !== 1) {
      throw new MeridianError('RASTER_PARAMETER_INVALID', `a colormap applies to one band; this request has ${bands.length} (choose one with bidx or expression)`, { parameter: 'colormap' });
    }
    const pixels = new Uint8Array(count * 4);
    let values = bands[0]!;
    if (options.rescale) {
      const bytes = new Uint8Array(count);
      writeBytes(values, range(0), bytes, 0, 1);
      values = bytes;
    }
    for (let i = 0; i < count; i++) {
      if (!mask[i]) continue;
      if (applyColorMap(options.colormap, values[i]!, pixels, i * 4)) pixels[i * 4 + 3] = Math.min(pixels[i * 4 + 3]!, mask[i]!);
    }
    if (options.alpha && !opaque(pixels)) return { width, height, channels: 4, pixels };
    return { width, height, channels: 3, pixels: keepChannels(pixels, 4, 3) };
  }
  const colours = bands.length >= 3 ? 3 : 1;
  const channels = colours + (options.alpha && !allValid(mask) ? 1 : 0);
  const pixels = new Uint8Array(count * channels);
  const colourBands = bands.slice(0, colours);
  if (!options.rescale && colourBands.every((band) => band instanceof Uint8Array)) {
    interleaveBytes(colourBands as Uint8Array[], channels > colours ? mask : null, pixels);
  } else {
    colourBands.forEach((band, b) => writeBytes(band, range(b), pixels, b, channels));
    if (channels > colours) writeMask(mask, pixels, channels);
  }
  return { width, height, channels: channels as Image8['channels'], pixels };
}
