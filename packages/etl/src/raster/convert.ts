/**
 * One tier's COG: `gdal_translate -of COG` from the staged input into the work directory. The file gets
 * its final name only once GDAL has finished it, so a resumed run can trust any final-named file its
 * checkpoint lists. (GDAL's COG validator runs while the file is uploaded: see describe-output.ts.)
 */
import { rename, rm } from 'node:fs/promises';
import type { Tier } from './parameters.ts';
import { cogCreationOptions } from './cog-profiles.ts';
import { runGdal } from './gdal-runner.ts';
import type { StagedInput } from './staged-input.ts';
import { inputError, type ValidatedRaster } from './validate.ts';
import { existingSize, type WorkDir } from './work-dir.ts';

export interface ConvertedCog {
  tier: Tier;
  /** Inside the work directory. */
  path: string;
  size: number;
  width: number;
  height: number;
}

export interface ConvertOptions {
  staged: StagedInput;
  raster: ValidatedRaster;
  sourceName: string;
  work: WorkDir;
  signal: AbortSignal;
  onProgress(fraction: number): void;
}

export async function convertTier(tier: Tier, options: ConvertOptions): Promise<ConvertedCog> {
  const { staged, raster, work, signal } = options;
  const path = work.file(`${tier}.cog.tif`);
  const partial = work.file(`${tier}.partial.tif`);
  const args = ['-of', 'COG', ...staged.translateArgs, ...cogCreationOptions(tier, raster), staged.path, partial];
  try {
    await runGdal('gdal_translate', args, { signal, onProgress: options.onProgress });
  } catch (error) {
    await rm(partial, { force: true });
    throw inputError(error, options.sourceName);
  }
  await rename(partial, path);
  return { tier, path, size: (await existingSize(path))!, width: staged.width, height: staged.height };
}
