/**
 * Per-band statistics of the valid pixels, with TiTiler's field names: min, max, mean, count, sum, std
 * (population, as gdalinfo -stats), median, percentile_N, histogram [counts, edges], valid/masked pixel
 * counts and valid_percent.
 */
import { MeridianError } from '@meridian/core';
import type { RasterData } from './raster-data.ts';

export interface StatisticsOptions {
  /** Percentiles 0..100; default [2, 98]. */
  percentiles?: number[];
  /** Histogram bins; default 10. */
  histogramBins?: number;
  /** Histogram [min, max]; default the band's min and max. */
  histogramRange?: [number, number];
  /** Only pixels where this is non-zero count (a zonal mask); same size as the data. */
  coverage?: Uint8Array;
}

export interface BandStatistics {
  min: number | null;
  max: number | null;
  mean: number | null;
  count: number;
  sum: number;
  std: number | null;
  median: number | null;
  histogram: [number[], number[]];
  valid_percent: number;
  masked_pixels: number;
  valid_pixels: number;
  [percentile: `percentile_${string}`]: number | null;
}

export const MAX_HISTOGRAM_BINS = 1000;

export function checkStatisticsOptions(options: StatisticsOptions): void {
  for (const p of options.percentiles ?? []) {
    if (!(p >= 0 && p <= 100)) throw new MeridianError('RASTER_PARAMETER_INVALID', `percentile ${p} is outside 0..100`, { parameter: 'p' });
  }
  const bins = options.histogramBins;
  if (bins !== undefined && (!Number.isInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS)) {
    throw new MeridianError('RASTER_PARAMETER_INVALID', `histogram_bins must be 1..${MAX_HISTOGRAM_BINS}`, { parameter: 'histogram_bins' });
  }
}

/** Linear-interpolated percentile of sorted values (numpy's default). */
function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function histogram(sorted: Float64Array, bins: number, range: [number, number] | undefined): [number[], number[]] {
  const min = range?.[0] ?? sorted[0] ?? 0;
  const max = range?.[1] ?? sorted[sorted.length - 1] ?? 0;
  const width = (max - min) / bins || 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * ((max - min) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const value of sorted) {
    if (value < min || value > max) continue;
    counts[Math.min(bins - 1, Math.floor((value - min) / width))]!++;
  }
  return [counts, edges];
}

export function bandStatistics(data: RasterData, options: StatisticsOptions = {}): Record<string, BandStatistics> {
  const percentiles = options.percentiles ?? [2, 98];
  const bins = options.histogramBins ?? 10;
  const total = options.coverage ? options.coverage.reduce((n, v) => n + (v ? 1 : 0), 0) : data.width * data.height;
  const result: Record<string, BandStatistics> = {};
  data.bands.forEach((band, b) => {
    const values = new Float64Array(band.length);
    let count = 0;
    for (let i = 0; i < band.length; i++) {
      if (!data.mask[i] || (options.coverage && !options.coverage[i])) continue;
      const value = band[i]!;
      if (Number.isNaN(value)) continue;
      values[count++] = value;
    }
    const sorted = values.subarray(0, count).sort();
    let sum = 0;
    for (const value of sorted) sum += value;
    const mean = count ? sum / count : null;
    let squares = 0;
    if (mean !== null) for (const value of sorted) squares += (value - mean) ** 2;
    const stats: BandStatistics = {
      min: count ? sorted[0]! : null,
      max: count ? sorted[count - 1]! : null,
      mean,
      count,
      sum,
      std: count ? Math.sqrt(squares / count) : null,
      median: percentile(sorted, 50),
      histogram: histogram(sorted, bins, options.histogramRange),
      valid_percent: total ? Math.round((count / total) * 10000) / 100 : 0,
      masked_pixels: total - count,
      valid_pixels: count,
    };
    for (const p of percentiles) stats[`percentile_${p}`] = percentile(sorted, p);
    result[data.bandNames[b] ?? `b${b + 1}`] = stats;
  });
  return result;
}
