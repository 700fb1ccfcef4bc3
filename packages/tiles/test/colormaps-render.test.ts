import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { isMeridianError } from '@meridian/core';
import { colorMapNames, encodeImage, encodeNpy, namedColorMap, parseColorMap, parseRescale, rampJson, renderImage, type RasterData } from '../src/index.ts';

function raster(values: number[], mask?: number[]): RasterData {
  return { width: values.length, height: 1, bands: [Float64Array.from(values)], mask: Uint8Array.from(mask ?? values.map(() => 255)), bandNames: ['b1'] };
}

describe('colour maps', () => {
  it('offers the standard ramps, DEM defaults and reversed variants', () => {
    const names = colorMapNames();
    for (const name of ['viridis', 'terrain', 'magma', 'greys', 'rdylgn', 'dem', 'viridis_r']) assert.ok(names.includes(name), name);
    const viridis = rampJson(namedColorMap('viridis'));
    assert.deepEqual(viridis['0'], [0x44, 0x01, 0x54, 255]);
    assert.deepEqual(viridis['255'], [0xfd, 0xe7, 0x25, 255]);
    assert.deepEqual(rampJson(namedColorMap('viridis_r'))['0'], [0xfd, 0xe7, 0x25, 255]);
    assert.equal(Object.keys(viridis).length, 256);
  });

  it('rejects unknown names and malformed JSON colour maps with 400s', () => {
    assert.throws(() => namedColorMap('nope'), (e: unknown) => isMeridianError(e) && e.code === 'RASTER_COLORMAP_UNKNOWN' && e.status === 400);
    for (const bad of ['{', '[]', '{"a": [1,2,3]}', '{"1": [300, 0, 0]}', '[[[0], [1,2,3]]]']) {
      assert.throws(() => parseColorMap(bad), (e: unknown) => isMeridianError(e) && e.code === 'RASTER_PARAMETER_INVALID', bad);
    }
  });

  it('applies discrete and interval colour maps; values without a colour are transparent', () => {
    const discrete = renderImage(raster([1, 2, 3]), { colormap: parseColorMap('{"1": [255, 0, 0], "2": [0, 255, 0, 128]}'), alpha: true });
    assert.deepEqual(Array.from(discrete.pixels), [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 0, 0]);
    const intervals = renderImage(raster([5, 15]), { colormap: parseColorMap('[[[0, 10], [1, 2, 3, 255]], [[10, 20], [4, 5, 6, 255]]]'), alpha: true });
    assert.equal(intervals.channels, 3, 'every pixel opaque: no alpha channel');
    assert.deepEqual(Array.from(intervals.pixels), [1, 2, 3, 4, 5, 6]);
  });

  it('rescales before a named ramp and masks nodata', () => {
    const image = renderImage(raster([0, 1000, 500], [255, 255, 0]), { rescale: parseRescale(['0,1000']), colormap: { kind: 'ramp', table: namedColorMap('greys') }, alpha: true });
    assert.deepEqual(Array.from(image.pixels.subarray(0, 8)), [255, 255, 255, 255, 0, 0, 0, 255]);
    assert.equal(image.pixels[11], 0);
    assert.throws(() => parseRescale(['1']), /min,max/);
  });
});

describe('encoders', () => {
  it('renders an alpha channel only when asked and some pixel is masked', () => {
    const masked = raster([0, 128, 255, 64], [255, 255, 255, 0]);
    assert.equal(renderImage(masked, { alpha: true }).channels, 2);
    assert.deepEqual(Array.from(renderImage(masked, { alpha: false }).pixels), [0, 128, 255, 64]);
    assert.equal(renderImage(raster([1, 2]), { alpha: true }).channels, 1);
    const rgb: RasterData = { width: 1, height: 1, bands: [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)], mask: Uint8Array.of(0), bandNames: ['b1', 'b2', 'b3'] };
    assert.deepEqual(Array.from(renderImage(rgb, { alpha: true }).pixels), [1, 2, 3, 0]);
    assert.deepEqual(Array.from(renderImage(rgb, { alpha: false }).pixels), [1, 2, 3]);
  });

  it('encodes png with alpha, jpeg without, and webp, readable by sharp', async () => {
    const image = renderImage(raster([0, 128, 255, 64], [255, 255, 255, 0]), { alpha: true });
    const png = await encodeImage(image, 'png');
    assert.equal((await sharp(png).metadata()).channels, 2, 'grey + alpha');
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual(Array.from(data), [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 64, 64, 64, 0]);
    const jpeg = await sharp(await encodeImage(image, 'jpeg')).metadata();
    assert.deepEqual([jpeg.format, jpeg.hasAlpha, jpeg.channels], ['jpeg', false, 1]);
    // A flat colour survives JPEG within a step or two, in RGB and in RGBA (alpha skipped).
    for (const channels of [3, 4] as const) {
      const pixels = new Uint8Array(16 * 16 * channels);
      for (let i = 0; i < pixels.length; i += channels) pixels.set([200, 100, 50, 255].slice(0, channels), i);
      const decoded = await sharp(await encodeImage({ width: 16, height: 16, channels, pixels }, 'jpeg')).raw().toBuffer({ resolveWithObject: true });
      assert.equal(decoded.info.channels, 3);
      for (const [c, expected] of [200, 100, 50].entries()) assert.ok(Math.abs(decoded.data[c]! - expected) <= 2, `channel ${c}: ${decoded.data[c]}`);
    }
    assert.equal((await sharp(await encodeImage(image, 'webp')).metadata()).format, 'webp');
  });

  it('png is lossless for grey, grey + alpha, RGB and RGBA', async () => {
    const width = 37, height = 23;
    for (const channels of [1, 2, 3, 4] as const) {
      const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 7919 + (i >> 5) * 31) & 255);
      const png = await encodeImage({ width, height, channels, pixels }, 'png');
      const meta = await sharp(png).metadata();
      assert.deepEqual([meta.width, meta.height, meta.channels], [width, height, channels]);
      // sharp decodes grey as RGB: each pixel's grey value repeated three times, then its alpha.
      const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      const expected: number[] = [];
      for (let i = 0; i < width * height; i++) {
        const pixel = Array.from(pixels.subarray(i * channels, (i + 1) * channels));
        expected.push(...(channels <= 2 ? [pixel[0]!, pixel[0]!, pixel[0]!, ...pixel.slice(1)] : pixel));
      }
      assert.deepEqual(Array.from(data), expected, `${channels} channels`);
    }
  });

  it('writes npy with the mask as the last band', () => {
    const npy = encodeNpy(raster([1.5, 2.5], [255, 0]), 'float32');
    assert.equal(npy.subarray(0, 6).toString('latin1'), '\x93NUMPY');
    const headerLength = npy.readUInt16LE(8);
    assert.equal((10 + headerLength) % 64, 0);
    assert.match(npy.subarray(10, 10 + headerLength).toString('latin1'), /'descr': '<f4', 'fortran_order': False, 'shape': \(2, 1, 2\)/);
    const values = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.byteLength));
    assert.deepEqual(Array.from(values), [1.5, 2.5, 255, 0]);
  });
});
