/**
 * Output formats. Images are encoded from the rendered 8-bit pixels: png by png.ts, jpeg by libjpeg-turbo
 * (its own binding: a 256-px tile costs a fifth of the CPU that sharp's pipeline spends on it), webp by
 * sharp; tif and npy carry the raw values: tif as a one-strip GeoTIFF (geotiff.js writer) georeferenced
 * on the output grid, npy as TiTiler does — a float array of shape (bands + 1, height, width) whose
 * last band is the mask.
 */
import jpegTurbo from '@julusian/jpeg-turbo';
import sharp from 'sharp';
import { writeArrayBuffer } from 'geotiff';
import { MeridianError } from '@meridian/core';
import type { DataType } from './cog.ts';
import { encodePng } from './png.ts';
import type { RasterData } from './raster-data.ts';
import { keepChannels, type Image8 } from './render.ts';
import type { Grid } from './warp.ts';

export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type OutputFormat = ImageFormat | 'tif' | 'npy';

export const MEDIA_TYPES: Record<OutputFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tif: 'image/tiff; application=geotiff',
  npy: 'application/x-binary',
};

export function parseFormat(text: string): OutputFormat {
  const format = text.toLowerCase() === 'jpg' ? 'jpeg' : text.toLowerCase();
  if (!(format in MEDIA_TYPES)) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `format "${text}" is not one of png, jpeg (jpg), webp, tif, npy`, { parameter: 'format' });
  }
  return format as OutputFormat;
}

/** Quality of the lossy formats (JPEG, WEBP). */
const LOSSY_QUALITY = 85;

/**
 * JPEG with libjpeg-turbo's standard Huffman tables (as GDAL and MapServer write it; tables optimised per
 * image cost a second pass for ~4% fewer bytes) and 4:2:0 chroma. JPEG has no alpha: an alpha channel is
 * skipped.
 */
function encodeJpeg(image: Image8): Promise<Buffer> {
  const { width, height, channels } = image;
  const grey = channels <= 2;
  const pixels = channels === 2 ? keepChannels(image.pixels, 2, 1) : image.pixels;
  return jpegTurbo.compress(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
    width,
    height,
    format: grey ? jpegTurbo.FORMAT_GRAY : channels === 4 ? jpegTurbo.FORMAT_RGBX : jpegTurbo.FORMAT_RGB,
    subsampling: grey ? jpegTurbo.SAMP_GRAY : jpegTurbo.SAMP_420,
    quality: LOSSY_QUALITY,
  });
}

/** Encodes the image as it is (JPEG drops an alpha channel: it has none). */
export function encodeImage(image: Image8, format: ImageFormat): Promise<Buffer> {
  if (format === 'png') return encodePng(image.pixels, image.width, image.height, image.channels);
  if (format === 'jpeg') return encodeJpeg(image);
  let pipeline = sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
  // sharp widens grey to RGB unless told the colour space stays grey.
  if (image.channels <= 2) pipeline = pipeline.toColourspace('b-w');
  return pipeline.webp({ quality: LOSSY_QUALITY, effort: 1 }).toBuffer();
}

/** Values stay exact: 64-bit floats for 32/64-bit sources, 32-bit floats otherwise. */
function wideType(dtype: DataType): boolean {
  return dtype === 'float64' || dtype === 'int32' || dtype === 'uint32';
}

/** A GeoTIFF of the values (pixel-interleaved, masked pixels set to `nodata` or 0). */
export function encodeTiff(data: RasterData, grid: Grid, epsg: number, dtype: DataType, nodata: number | null): Buffer {
  const { width, height, bands, mask } = data;
  const values = wideType(dtype) ? new Float64Array(width * height * bands.length) : new Float32Array(width * height * bands.length);
  const fill = nodata ?? 0;
  for (let i = 0; i < width * height; i++) {
    for (let b = 0; b < bands.length; b++) values[i * bands.length + b] = mask[i] ? bands[b]![i]! : fill;
  }
  const [minX, minY, maxX, maxY] = grid.bounds;
  const geographic = epsg === 4326;
  const buffer = writeArrayBuffer(values, {
    width,
    height,
    PhotometricInterpretation: 1,
    ...(bands.length > 1 ? { ExtraSamples: Array.from({ length: bands.length - 1 }, () => 0) } : {}),
    ModelPixelScale: [(maxX - minX) / width, (maxY - minY) / height, 0],
    ModelTiepoint: [0, 0, 0, minX, maxY, 0],
    GTModelTypeGeoKey: geographic ? 2 : 1,
    GTRasterTypeGeoKey: 1,
    ...(geographic ? { GeographicTypeGeoKey: 4326 } : { ProjectedCSTypeGeoKey: epsg }),
  } as Parameters<typeof writeArrayBuffer>[1]);
  return Buffer.from(buffer);
}

/** NumPy .npy (version 1.0): little-endian float32 or float64, shape (bands + 1, height, width). */
export function encodeNpy(data: RasterData, dtype: DataType): Buffer {
  const { width, height, bands, mask } = data;
  const wide = wideType(dtype);
  const plane = width * height;
  const values = wide ? new Float64Array(plane * (bands.length + 1)) : new Float32Array(plane * (bands.length + 1));
  bands.forEach((band, b) => values.set(band, b * plane));
  values.set(mask, bands.length * plane);
  const dict = `{'descr': '${wide ? '<f8' : '<f4'}', 'fortran_order': False, 'shape': (${bands.length + 1}, ${height}, ${width}), }`;
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = Buffer.alloc(10 + headerLength, 0x20);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(headerLength, 8);
  header.write(dict, 10, 'latin1');
  header[10 + headerLength - 1] = 0x0a;
  return Buffer.concat([header, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}
