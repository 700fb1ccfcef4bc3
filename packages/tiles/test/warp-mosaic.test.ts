import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  bboxGrid, CogReader, CogSource, encodeData, exactPixel, MosaicSource, pixelMap, sourcePixel, readData, tileBounds, tileMatrixSet,
  type Grid, type MosaicItem, type PixelSelection,
} from '../src/index.ts';
import { createCogFixtures, type CogFixtures } from './cog-fixtures.ts';

let fixtures: CogFixtures;
let reader: CogReader;

before(async () => {
  fixtures = await createCogFixtures({ width: 300, height: 260 });
  reader = new CogReader(fixtures.store, { headerEntries: 8, blockBytes: 4 * 1024 * 1024 });
});
after(() => fixtures.cleanup());

describe('warping', () => {
  it('the grid-interpolated transform is exact at nodes and within 0.1 px everywhere', async () => {
    const cog = await reader.open(fixtures.dem.ref);
    const tms = tileMatrixSet('WebMercatorQuad');
    // A z9 tile spans ~78 km, far more than the DEM: the interpolation error is largest on big tiles.
    for (const [z, x, y] of [[9, 276, 181], [12, 2211, 1450]] as const) {
      const grid: Grid = { crs: tms.crs, bounds: tileBounds(tms, { z, x, y }), width: 256, height: 256 };
      const map = pixelMap(grid, cog.info);
      assert.equal(map.kind, 'full', 'UTM under Web Mercator is not separable');
      let worst = 0;
      for (let row = 0; row < 256; row++) {
        for (let column = 0; column < 256; column++) {
          const [ex, ey] = exactPixel(grid, cog.info, column, row);
          const [mx, my] = sourcePixel(map, column, row);
          worst = Math.max(worst, Math.abs(mx - ex), Math.abs(my - ey));
          if (row % 16 === 0 && column % 16 === 0) assert.ok(Math.abs(mx - ex) < 1e-9, 'exact at nodes');
        }
      }
      assert.ok(worst < 0.1, `worst error ${worst} px at z${z}`);
    }
  });

  it('maps Web Mercator tiles over a CRS84 raster per column and per row, exactly', async () => {
    const cog = await reader.open(fixtures.rgbDeflate.ref);
    const tms = tileMatrixSet('WebMercatorQuad');
    const grid: Grid = { crs: tms.crs, bounds: tileBounds(tms, { z: 14, x: 9862, y: 8247 }), width: 256, height: 256 };
    const map = pixelMap(grid, cog.info);
    assert.equal(map.kind, 'separable');
    for (const [column, row] of [[0, 0], [7, 200], [255, 255], [130, 3]] as const) {
      const [ex, ey] = exactPixel(grid, cog.info, column, row);
      const [mx, my] = sourcePixel(map, column, row);
      assert.ok(Math.abs(mx - ex) < 1e-9 && Math.abs(my - ey) < 1e-9, `pixel ${column},${row}`);
    }
  });

  it('reads the overview matching the output resolution (the coarsest not coarser than asked)', async () => {
    const cog = await reader.open(fixtures.dem.ref);
    assert.deepEqual(cog.info.overviewFactors, [2]);
    assert.deepEqual([cog.levelFor(1), cog.levelFor(1.9), cog.levelFor(2), cog.levelFor(50)], [0, 0, 1, 1]);
    const source = new CogSource(cog);
    const half = await readData(source, { crs: cog.info.crs, bounds: cog.info.bounds, width: 150, height: 130 }, { returnMask: true });
    const overview = await cog.readWindow(1, { x0: 0, y0: 0, x1: 150, y1: 130 }, [0]);
    assert.equal(half.bands[0]![1000], overview[0]![1000], 'the preview pixel is the overview pixel');
  });

  it('writes a tif extract GDAL reads back with the same georeference and values', async () => {
    const source = new CogSource(await reader.open(fixtures.dem.ref));
    const bbox: [number, number, number, number] = [401500, 5095000, 403000, 5097090];
    const grid = bboxGrid(await source.frame(), bbox, { coordCrs: 'EPSG:32633', dstCrs: 'EPSG:32633' });
    const info = await source.info();
    const data = await readData(source, grid, { returnMask: true });
    const { body } = await encodeData(data, grid, 'tif', { returnMask: true }, info);
    const path = join(fixtures.dir, 'extract.tif');
    await writeFile(path, body);
    const { stdout } = await promisify(execFile)('gdalinfo', ['-json', '-stats', path]);
    const gdal = JSON.parse(stdout) as { size: number[]; geoTransform: number[]; stac?: unknown; bands: Array<{ minimum: number }> };
    assert.deepEqual(gdal.size, [grid.width, grid.height]);
    assert.deepEqual(gdal.geoTransform, [401500, 30, 0, 5097090, 0, -30]);
    const expected = Math.min(...data.bands[0]!);
    assert.ok(Math.abs(gdal.bands[0]!.minimum - expected) < 1e-3);
  });
});

describe('mosaics', () => {
  function items(order: Array<'mosaicA' | 'mosaicB'>, opened: string[]): { itemsIn(): Promise<MosaicItem[]> } {
    return {
      async itemsIn() {
        return order.map((name) => ({
          collection: 'c',
          id: name,
          bounds: name === 'mosaicA' ? [10, 49.8, 10.2, 50] : [10.1, 49.8, 10.3, 50],
          open: () => { opened.push(name); return reader.open(fixtures[name].ref); },
        }));
      },
    };
  }

  async function readMosaic(selection: PixelSelection, order: Array<'mosaicA' | 'mosaicB'>, bounds: [number, number, number, number]) {
    const opened: string[] = [];
    const source = new MosaicSource(items(order, opened), { pixelSelection: selection, itemLimit: 10, timeLimitMs: 10_000 });
    const data = await source.readGrid({ crs: 'EPSG:4326', bounds, width: 40, height: 10 }, {});
    return { data, opened };
  }

  // Columns 0-19 (10.00-10.10): only A (value 10; nodata in its first 0.02°). Columns 20-39 (10.10-10.20): A and B (B's first 0.02° nodata).
  const overlap: [number, number, number, number] = [10.0, 49.9, 10.2, 49.95];

  it('first: earlier items win, later items only fill gaps', async () => {
    const { data } = await readMosaic('first', ['mosaicB', 'mosaicA'], overlap);
    assert.equal(data.bands[0]![30], 200, 'B first where both have data');
    assert.equal(data.bands[0]![21], 10, 'A fills where B is nodata');
    assert.equal(data.mask[1], 0, 'neither has data');
  });

  it('highest, lowest and mean combine per pixel', async () => {
    assert.equal((await readMosaic('highest', ['mosaicA', 'mosaicB'], overlap)).data.bands[0]![30], 200);
    assert.equal((await readMosaic('lowest', ['mosaicB', 'mosaicA'], overlap)).data.bands[0]![30], 10);
    assert.equal((await readMosaic('mean', ['mosaicA', 'mosaicB'], overlap)).data.bands[0]![30], 105);
  });

  it('first stops reading once the output is full', async () => {
    const inside: [number, number, number, number] = [10.15, 49.9, 10.2, 49.95];
    const { data, opened } = await readMosaic('first', ['mosaicB', 'mosaicA'], inside);
    assert.ok(data.mask.every((v) => v === 255));
    assert.deepEqual(opened, ['mosaicB'], 'the second item is never opened');
  });
});
