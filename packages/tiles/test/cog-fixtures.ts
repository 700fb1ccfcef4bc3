/**
 * COGs for the tiles tests and benchmark, generated with GDAL into a temp dir that is also a FileBlobStore
 * root: the test reads them through the BlobStore (ranged reads) and GDAL reads the same files directly.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FileBlobStore, type BlobRef } from '@meridian/storage';
import { demUtm, rgbImage, writeGeoTiff, type GeneratedRaster } from '../../../fixtures/raster-fixtures.ts';

const run = promisify(execFile);
export const CONTAINER = 'silver-tiles-test';

export interface CogFixture {
  ref: BlobRef;
  /** Absolute path of the same file, for GDAL. */
  path: string;
}

export interface CogFixtures {
  dir: string;
  store: FileBlobStore;
  /** Float32 DEM in UTM 33N, 30 m, nodata -9999, DEFLATE, 256-px blocks with overviews. */
  dem: CogFixture;
  /** 3-band Byte RGB in WGS84, JPEG (YCbCr) compressed. */
  rgbJpeg: CogFixture;
  /** The same RGB, DEFLATE. */
  rgbDeflate: CogFixture;
  /** Two overlapping single-band Byte COGs in WGS84 (values 10 and 200, nodata 0 on their left halves). */
  mosaicA: CogFixture;
  mosaicB: CogFixture;
  cleanup(): Promise<void>;
}

function constant(value: number, west: number, north: number): GeneratedRaster {
  return {
    width: 200, height: 200, bands: 1, type: 'Byte',
    value: (_b, x) => (x < 20 ? 0 : value),
    options: ['-a_srs', 'EPSG:4326', '-a_ullr', String(west), String(north), String(west + 0.2), String(north - 0.2), '-a_nodata', '0'],
  };
}

async function cog(dir: string, name: string, raster: GeneratedRaster, creation: string[]): Promise<CogFixture> {
  const source = join(dir, `${name}.src.tif`);
  await writeGeoTiff(source, raster);
  const path = join(dir, CONTAINER, `${name}.tif`);
  await run('gdal_translate', ['-q', '-of', 'COG', '-co', 'BLOCKSIZE=256', '-co', 'OVERVIEW_RESAMPLING=NEAREST', ...creation, source, path]);
  await rm(source, { force: true });
  return { ref: { container: CONTAINER, key: `${name}.tif` }, path };
}

export async function createCogFixtures(size = { width: 700, height: 600 }): Promise<CogFixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-tiles-'));
  await mkdir(join(dir, CONTAINER), { recursive: true });
  const [dem, rgbJpeg, rgbDeflate, mosaicA, mosaicB] = await Promise.all([
    cog(dir, 'dem', demUtm(size.width, size.height), ['-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=YES']),
    cog(dir, 'rgb-jpeg', rgbImage(size.width, size.height), ['-co', 'COMPRESS=JPEG', '-co', 'QUALITY=85']),
    cog(dir, 'rgb-deflate', rgbImage(size.width, size.height), ['-co', 'COMPRESS=DEFLATE']),
    cog(dir, 'mosaic-a', constant(10, 10, 50), ['-co', 'COMPRESS=DEFLATE']),
    cog(dir, 'mosaic-b', constant(200, 10.1, 50), ['-co', 'COMPRESS=DEFLATE']),
  ]);
  return {
    dir, store: new FileBlobStore(dir), dem, rgbJpeg, rgbDeflate, mosaicA, mosaicB,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function gdal(tool: string, args: string[]): Promise<string> {
  const { stdout } = await run(tool, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Runs a GDAL tool writing Float64 ENVI raw output into `dir` and returns the samples (band-sequential). */
export async function gdalRaw(dir: string, tool: string, args: string[], name: string): Promise<Float64Array> {
  const path = join(dir, `${name}.raw`);
  await gdal(tool, ['-q', '-of', 'ENVI', '-ot', 'Float64', ...args, path]);
  const bytes = await readFile(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}
