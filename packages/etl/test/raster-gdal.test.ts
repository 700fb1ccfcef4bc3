/**
 * The GDAL child-process runner: progress parsed from GDAL's `0...10...` stream however it is chunked,
 * stderr's errors in the failure, a missing tool named, GDAL's COG validator, the tiling plan, and file
 * datetimes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeridianError } from '@meridian/core';
import { GdalProgressParser } from '../src/raster/gdal-progress.ts';
import { isUnreadableInput, runGdal, runProcess } from '../src/raster/gdal-runner.ts';
import { planTiles, tileSide } from '../src/raster/tiled-input.ts';
import { fileDatetime } from '../src/raster/file-datetime.ts';
import { validateCog } from '../src/raster/cog-validator.ts';

function parse(chunks: string[]): number[] {
  const seen: number[] = [];
  const parser = new GdalProgressParser((f) => seen.push(Math.round(f * 100)));
  for (const chunk of chunks) parser.push(chunk);
  return seen;
}

describe('GDAL runner', () => {
  it('parses progress whatever the chunking, once per step', () => {
    const stream = 'Input file size is 600, 400\n0...10...20...30...40...50...60...70...80...90...100 - done.\n';
    const expected = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    assert.deepEqual(parse([stream]), expected);
    assert.deepEqual(parse([...stream]), expected, 'one character at a time');
    assert.deepEqual(parse(['0...1', '0...2', '0.', '..30...40...50...60...70...80...90...1', '00 - done.']), expected);
  });

  it('streams real progress from gdal_translate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meridian-gdal-'));
    try {
      const seen: number[] = [];
      await runProcess('gdal_create', ['-outsize', '2000', '2000', '-bands', '1', join(dir, 'in.tif')]);
      await runGdal('gdal_translate', ['-of', 'COG', join(dir, 'in.tif'), join(dir, 'out.tif')], { onProgress: (f) => seen.push(f) });
      assert.ok(seen.length >= 10, `progress reports: ${seen}`);
      assert.equal(seen.at(-1), 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with GDAL_FAILED quoting GDAL\'s errors; unreadable input is recognised', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meridian-gdal-'));
    try {
      await writeFile(join(dir, 'junk.tif'), 'not a raster');
      const error = await runGdal('gdalinfo', ['-json', join(dir, 'junk.tif')]).then(() => assert.fail('accepted'), (e: unknown) => e as MeridianError);
      assert.equal(error.code, 'GDAL_FAILED');
      assert.match(error.message, /gdalinfo failed: .*not recognized as a supported file format/);
      assert.ok(isUnreadableInput(error));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('GDAL\'s COG validator refuses a tiled GeoTIFF whose overviews were added afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meridian-gdal-'));
    try {
      const path = join(dir, 'not-cog.tif');
      await runProcess('gdal_create', ['-outsize', '1500', '1500', '-bands', '1', '-co', 'TILED=YES', path]);
      await runProcess('gdaladdo', ['-q', path, '2', '4']);
      const error = await validateCog(path).then(() => assert.fail('accepted'), (e: unknown) => e as MeridianError);
      assert.equal(error.code, 'COG_VALIDATION_FAILED');
      assert.match(error.message, /overview/);
      await runGdal('gdal_translate', ['-of', 'COG', path, join(dir, 'cog.tif')]);
      assert.deepEqual(await validateCog(join(dir, 'cog.tif')), { warnings: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a tool that is not installed', async () => {
    await assert.rejects(runProcess('gdal-no-such-tool', []), { code: 'GDAL_TOOL_MISSING' });
  });

  it('kills the tool when the signal fires and rejects with its reason', async () => {
    const controller = new AbortController();
    const running = runProcess('sleep', ['30'], { signal: controller.signal });
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    await assert.rejects(running, (e: unknown) => e === reason);
    assert.ok(performance.now() - started < 2_000);
  });
});

describe('tiling plan', () => {
  it('cuts whole 512-px blocks, a quarter of the threshold each, at most 16384 px', () => {
    assert.equal(tileSide(100_000, 3), 512);
    assert.equal(tileSide(2 * 1024 ** 3, 3), 13_312);
    assert.equal(tileSide(1024 ** 4, 1), 16_384);
    assert.deepEqual(planTiles(600, 400, 512), [
      { index: 0, x: 0, y: 0, width: 512, height: 400 },
      { index: 1, x: 512, y: 0, width: 88, height: 400 },
    ]);
    assert.equal(planTiles(40_000, 40_000, 13_312).length, 16);
  });
});

describe('file datetime', () => {
  it('reads the acquisition time, then the TIFF DateTime tag (as UTC)', () => {
    assert.equal(fileDatetime({ '': { TIFFTAG_DATETIME: '2023:06:15 10:30:00' } }), '2023-06-15T10:30:00.000Z');
    assert.equal(fileDatetime({ IMAGERY: { ACQUISITIONDATETIME: '2021-01-02T03:04:05Z' }, '': { TIFFTAG_DATETIME: '2023:06:15 10:30:00' } }), '2021-01-02T03:04:05.000Z');
    assert.equal(fileDatetime({ '': { TIFFTAG_DATETIME: 'yesterday' } }), null);
    assert.equal(fileDatetime({}), null);
  });
});
