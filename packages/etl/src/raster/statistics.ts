/**
 * Exact per-band statistics and histograms (`gdalinfo -stats -hist`, every pixel read, nodata
 * excluded) — the numbers the metadata row and the STAC `raster:bands` carry. The same pass doubles as
 * the final check of the input: a read error (a truncated file) or an undeclared extreme value found
 * here fails the task like the validation would have.
 */
import { gdalInfo } from './gdal-info.ts';
import { assertNoExtremeValues, inputError } from './validate.ts';

export interface BandHistogram {
  min: number;
  max: number;
  count: number;
  buckets: number[];
}

export interface BandStatistics {
  minimum: number;
  maximum: number;
  mean: number;
  stddev: number;
  /** Share of pixels that are not nodata, 0–100. */
  validPercent: number;
  histogram: BandHistogram | null;
}

/**
 * Statistics of every band of `path`, in band order. `sourceName` names the file in errors; `background`
 * runs the pass at low CPU priority (beside a conversion, which it must not slow down).
 */
export async function bandStatistics(path: string, sourceName: string, signal: AbortSignal, background = false): Promise<BandStatistics[]> {
  let info;
  try {
    info = await gdalInfo(path, { stats: 'exact', histogram: true, signal, background });
  } catch (error) {
    throw inputError(error, sourceName);
  }
  assertNoExtremeValues(info, sourceName);
  return info.bands.map((band) => {
    const valid = Number(band.metadata?.['']?.STATISTICS_VALID_PERCENT ?? 100);
    return {
      minimum: band.minimum ?? 0,
      maximum: band.maximum ?? 0,
      mean: band.mean ?? 0,
      stddev: band.stdDev ?? 0,
      validPercent: Number.isFinite(valid) ? valid : 100,
      histogram: band.histogram ? { min: band.histogram.min, max: band.histogram.max, count: band.histogram.count, buckets: band.histogram.buckets } : null,
    };
  });
}
