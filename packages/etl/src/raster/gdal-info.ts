/**
 * `gdalinfo -json`, typed: the subset of its output the raster ETL reads. Parsed once here, so the rest
 * of the pipeline works with these interfaces rather than with untyped JSON.
 */
import { runGdal } from './gdal-runner.ts';

export interface GdalHistogram {
  count: number;
  min: number;
  max: number;
  buckets: number[];
}

export interface GdalBand {
  band: number;
  block: [number, number];
  /** GDAL's data type name: Byte, Int8, UInt16, Int16, UInt32, Int32, UInt64, Int64, Float32, Float64, CInt16 … */
  type: string;
  colorInterpretation?: string;
  description?: string;
  /** A number, or "NaN" / "Infinity" / "-Infinity" as strings (JSON has no such numbers). */
  noDataValue?: number | string;
  unit?: string;
  offset?: number;
  scale?: number;
  minimum?: number;
  maximum?: number;
  mean?: number;
  stdDev?: number;
  histogram?: GdalHistogram;
  overviews?: { size: [number, number] }[];
  /** Present when the band has a mask other than "all valid" (GDAL's mask flags: PER_DATASET, ALPHA, NODATA). */
  mask?: { flags: string[] };
  colorTable?: { palette: string; count: number; entries: number[][] };
  metadata?: Record<string, Record<string, string>>;
}

export interface GdalInfo {
  driverShortName: string;
  size: [number, number];
  coordinateSystem?: { wkt: string };
  geoTransform?: [number, number, number, number, number, number];
  gcps?: { coordinateSystem?: { wkt: string }; gcpList: unknown[] };
  metadata?: Record<string, Record<string, string>>;
  wgs84Extent?: { type: 'Polygon'; coordinates: number[][][] };
  bands: GdalBand[];
  /** GDAL's own STAC view of the dataset (3.6+): the source of EPSG code and PROJJSON. */
  stac?: { 'proj:epsg'?: number | null; 'proj:projjson'?: Record<string, unknown>; 'proj:wkt2'?: string };
}

export interface GdalInfoOptions {
  /** Exact statistics (`-stats`) and histograms (`-hist`): reads every pixel. */
  stats?: 'exact' | 'approximate';
  histogram?: boolean;
  signal?: AbortSignal;
  background?: boolean;
}

export async function gdalInfo(path: string, options: GdalInfoOptions = {}): Promise<GdalInfo> {
  const args = ['-json'];
  if (options.stats === 'exact') args.push('-stats');
  if (options.stats === 'approximate') args.push('-approx_stats');
  if (options.histogram) args.push('-hist');
  const { stdout } = await runGdal('gdalinfo', [...args, path], { signal: options.signal, background: options.background });
  return JSON.parse(stdout) as GdalInfo;
}

/** A nodata value as a number (NaN and infinities included), or null when the band declares none. */
export function nodataOf(band: GdalBand): number | null {
  const value = band.noDataValue;
  if (value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}
