/**
 * TiTiler's resampling methods and assets stacking: the interpolating kernels cross-checked against
 * gdalwarp -r … on the same COG (where the output is finer than the source, GDAL's kernels are not
 * widened), the footprint reductions against the overview pixels they cover, and a stack of two COGs
 * against reading each on its own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMeridianError } from '@meridian/core';
import {
  CogReader, CogSource, readData, RESAMPLING_METHODS, StackedSource, tileBounds, tileMatrixSet, type Grid, type Resampling,
} from '../src/index.ts';
import { createCogFixtures, gdalRaw, type CogFixtures } from './cog-fixtures.ts';

let fixtures: CogFixtures;
let reader: CogReader;

before(async () => {
  fixtures = await createCogFixtures();
  reader = new CogReader(fixtures.store);
});
after(() => fixtures.cleanup());

/** gdalwarp onto the grid with an exact transform (-et 0). */
function gdalwarp(path: string, grid: Grid, method: string, name: string): Promise<Float64Array> {
  return gdalRaw(fixtures.dir, 'gdalwarp', ['-et', '0', '-t_srs', grid.crs, '-te', ...grid.bounds.map(String), '-ts', String(grid.width), String(grid.height), '-r', method, path], name);
}

describe('resampling', () => {
  it('offers TiTiler\'s names that are implemented', () => {
    assert.deepEqual([...RESAMPLING_METHODS], ['nearest', 'bilinear', 'cubic', 'cubic_spline', 'lanczos', 'average', 'mode', 'rms']);
  });

  // The tile path: every band of the pixel-interleaved RGB COG, at a zoom that reads an overview across
  // blocks and the raster's edge (outside pixels are masked here, 0 in GDAL's output) and near its native resolution.
  for (const tile of [{ z: 13, x: 4931, y: 4123 }, { z: 15, x: 19727, y: 16495 }]) {
    it(`nearest equals gdalwarp -r near on every band of an RGB z${tile.z} tile for >= 99% of pixels`, async () => {
      const tms = tileMatrixSet('WebMercatorQuad');
      const grid: Grid = { crs: tms.crs, bounds: tileBounds(tms, tile), width: 256, height: 256 };
      const data = await readData(new CogSource(await reader.open(fixtures.rgbDeflate.ref)), grid, { returnMask: true });
      const expected = await gdalwarp(fixtures.rgbDeflate.path, grid, 'near', `rgb-near-${tile.z}`);
      const plane = 256 * 256;
      let same = 0, valid = 0;
      for (let i = 0; i < plane; i++) {
        const gdalValid = [0, 1, 2].some((b) => expected[b * plane + i] !== 0);
        if (Boolean(data.mask[i]) !== gdalValid) continue;
        if (gdalValid) valid++;
        if (!gdalValid || [0, 1, 2].every((b) => data.bands[b]![i] === expected[b * plane + i])) same++;
      }
      assert.ok(valid > plane / 4, `${valid} valid pixels`);
      assert.ok(same / plane >= 0.99, `${((100 * same) / plane).toFixed(2)}% agree`);
    });
  }

  // A z16 tile in the middle of the RGB COG (~11 m pixels): output pixels of ~2.4 m, all inside.
  for (const [method, gdalName] of [['bilinear', 'bilinear'], ['cubic', 'cubic'], ['cubic_spline', 'cubicspline'], ['lanczos', 'lanczos']] as const) {
    it(`${method} equals gdalwarp -r ${gdalName} for >= 99% of pixels`, async () => {
      const tms = tileMatrixSet('WebMercatorQuad');
      const tile = { z: 16, x: 39455, y: 32991 };
      const grid: Grid = { crs: tms.crs, bounds: tileBounds(tms, tile), width: 256, height: 256 };
      const source = new CogSource(await reader.open(fixtures.rgbDeflate.ref));
      const data = await readData(source, grid, { returnMask: true, resampling: method });
      const expected = await gdalwarp(fixtures.rgbDeflate.path, grid, gdalName, `rgb-${method}`);
      let same = 0;
      for (let i = 0; i < 256 * 256; i++) if (data.mask[i] && Math.abs(data.bands[0]![i]! - expected[i]!) <= 0.5) same++;
      assert.ok(same / (256 * 256) >= 0.99, `${((100 * same) / 65536).toFixed(2)}% agree`);
    });
  }
});

describe('footprint resampling', () => {
  /** The DEM (700×600 at 30 m, overviews 2× and 4×) at 240 m: 2×2 pixels of its 4× overview per output pixel. */
  async function eighthDem(method: Resampling) {
    const cog = await reader.open(fixtures.dem.ref);
    assert.deepEqual(cog.info.overviewFactors, [2, 4]);
    const [west, , , north] = cog.info.bounds;
    const grid: Grid = { crs: cog.info.crs, bounds: [west, north - 600 * 30, west + 696 * 30, north], width: 87, height: 75 };
    const data = await readData(new CogSource(cog), grid, { returnMask: true, resampling: method });
    const overview = (await cog.readWindow(2, { x0: 0, y0: 0, x1: 175, y1: 150 }, [0]))[0]!;
    /** The valid overview values under output pixel (column, row). */
    const under = (column: number, row: number) => [0, 1, 175, 176]
      .map((offset) => overview[row * 2 * 175 + column * 2 + offset]!)
      .filter((value) => value !== -9999);
    return { data, under };
  }

  const reductions: Array<[Resampling, (values: number[]) => number]> = [
    ['average', (values) => values.reduce((a, b) => a + b, 0) / values.length],
    ['rms', (values) => Math.sqrt(values.reduce((a, b) => a + b * b, 0) / values.length)],
    ['mode', (values) => values.find((v) => values.filter((w) => w === v).length === Math.max(...values.map((u) => values.filter((w) => w === u).length)))!],
  ];
  for (const [method, reduce] of reductions) {
    it(`${method} reduces the valid overview pixels each output pixel covers`, async () => {
      const { data, under } = await eighthDem(method);
      for (const [column, row] of [[0, 0], [10, 20], [86, 74], [40, 37], [50, 74]] as const) {
        const values = under(column, row);
        const at = row * 87 + column;
        if (values.length === 0) assert.equal(data.mask[at], 0, `${column},${row} masked`);
        else assert.ok(Math.abs(data.bands[0]![at]! - reduce(values)) < 1e-3, `${method} at ${column},${row}: ${data.bands[0]![at]} vs ${reduce(values)}`);
      }
    });
  }
});

describe('stacked assets', () => {
  async function stack() {
    const open = async (name: 'rgbDeflate' | 'mosaicA') => new CogSource(await reader.open(fixtures[name].ref));
    return { stacked: new StackedSource([{ name: 'visual', source: await open('rgbDeflate') }, { name: 'mask', source: await open('mosaicA') }]), rgb: await open('rgbDeflate') };
  }

  it('counts bands across the assets in order and names them {asset}_b{n}', async () => {
    const { stacked, rgb } = await stack();
    const info = await stacked.info();
    assert.equal(info.bandCount, 4);
    const rgbInfo = await rgb.info();
    assert.deepEqual(info.bounds.slice(0, 2), [Math.min(rgbInfo.bounds[0], 10), Math.min(rgbInfo.bounds[1], 49.8)]);
    const grid: Grid = { crs: 'EPSG:4326', bounds: [36.71, -1.25, 36.75, -1.21], width: 40, height: 40 };
    const both = await stacked.readGrid(grid, { bidx: [3, 1] });
    const alone = await rgb.readGrid(grid, { bidx: [3, 1] });
    assert.deepEqual(both.bandNames, ['visual_b3', 'visual_b1']);
    assert.deepEqual([Array.from(both.bands[0]!), Array.from(both.bands[1]!)], [Array.from(alone.bands[0]!), Array.from(alone.bands[1]!)]);
    assert.ok(both.mask.every((value) => value === 255));
  });

  it('masks pixels where any asset read is masked; points concatenate; bad bidx is a 400', async () => {
    const { stacked } = await stack();
    const overMask: Grid = { crs: 'EPSG:4326', bounds: [10, 49.9, 10.2, 50], width: 20, height: 10 };
    const data = await stacked.readGrid(overMask, { bidx: [4, 1] });
    assert.deepEqual(data.bandNames, ['mask_b1', 'visual_b1']);
    assert.ok(data.mask.every((value) => value === 0), 'the RGB asset does not cover the mosaic fixture');
    const maskOnly = await stacked.readGrid(overMask, { bidx: [4] });
    assert.equal(maskOnly.mask[5], 255, 'reading only the second asset: its own mask');
    assert.equal(maskOnly.mask[0], 0, 'its nodata left part');
    const point = await stacked.point(36.72, -1.22, 'EPSG:4326', { bidx: [1, 4] });
    assert.deepEqual(point?.bandNames, ['visual_b1', 'mask_b1']);
    assert.equal(typeof point?.values[0], 'number');
    assert.equal(point?.values[1], null, 'outside the second asset');
    await assert.rejects(stacked.readGrid(overMask, { bidx: [5] }), (e: unknown) => isMeridianError(e) && e.code === 'RASTER_PARAMETER_INVALID' && /1\.\.4/.test(e.message));
  });
});
