/**
 * The three output tiers as COG creation options. Every tier uses 512-pixel blocks and overviews
 * resampled the way the raster type allows.
 *   visualization: JPEG quality 85 (YCbCr, which the COG driver picks for 3-band JPEG) — 3-band 8-bit only;
 *   analysis:      DEFLATE, predictor 2 for integers and 3 for floating point — lossless;
 *   archive:       LZW, predictor 2 — lossless, readable by the oldest tools.
 */
import { MeridianError } from '@meridian/core';
import type { Tier } from './parameters.ts';
import { RASTER_TYPE_PROFILES } from './raster-type.ts';
import type { ValidatedRaster } from './validate.ts';

export const COG_BLOCK_SIZE = 512;
export const JPEG_QUALITY = 85;

/** Why a tier cannot hold this raster, or null when it can. */
export function tierProblem(tier: Tier, raster: Pick<ValidatedRaster, 'bandCount' | 'dataType'>): string | null {
  if (tier === 'visualization' && !(raster.bandCount === 3 && raster.dataType === 'Byte')) {
    return `the visualization tier (JPEG) takes 3-band 8-bit rasters; this one has ${raster.bandCount} band(s) of ${raster.dataType}`;
  }
  return null;
}

/**
 * The tiers a task writes: a tier asked for alone must fit the raster (RASTER_TIER_UNSUPPORTED
 * otherwise); "all" means every tier that fits.
 */
export function applicableTiers(requested: readonly Tier[], raster: Pick<ValidatedRaster, 'bandCount' | 'dataType'>): Tier[] {
  if (requested.length === 1) {
    const problem = tierProblem(requested[0]!, raster);
    if (problem) throw new MeridianError('RASTER_TIER_UNSUPPORTED', problem, { tier: requested[0] });
    return [...requested];
  }
  return requested.filter((tier) => tierProblem(tier, raster) === null);
}

/** The compression a tier writes, as GDAL reports it back (IMAGE_STRUCTURE COMPRESSION). */
export function tierCompression(tier: Tier): 'JPEG' | 'DEFLATE' | 'LZW' {
  return tier === 'visualization' ? 'JPEG' : tier === 'analysis' ? 'DEFLATE' : 'LZW';
}

export function tierPredictor(tier: Tier, dataType: string): 1 | 2 | 3 {
  if (tier === 'visualization') return 1;
  return tier === 'analysis' && dataType.startsWith('Float') ? 3 : 2;
}

/** `-co` arguments of `gdal_translate -of COG` for one tier. */
export function cogCreationOptions(tier: Tier, raster: Pick<ValidatedRaster, 'dataType' | 'rasterType'>): string[] {
  const resampling = RASTER_TYPE_PROFILES[raster.rasterType].overviewResampling.toUpperCase();
  const options = [`COMPRESS=${tierCompression(tier)}`, `BLOCKSIZE=${COG_BLOCK_SIZE}`, `OVERVIEW_RESAMPLING=${resampling}`, 'BIGTIFF=IF_SAFER'];
  if (tier === 'visualization') options.push(`QUALITY=${JPEG_QUALITY}`, `OVERVIEW_QUALITY=${JPEG_QUALITY}`);
  else options.push(`PREDICTOR=${tierPredictor(tier, raster.dataType)}`);
  return options.flatMap((o) => ['-co', o]);
}
