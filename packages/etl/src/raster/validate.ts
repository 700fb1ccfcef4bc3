/**
 * Validation of an input GeoTIFF before any conversion: GDAL can open it as a GeoTIFF, it is
 * georeferenced and has a CRS (or one was given), its data type is one Meridian serves, it holds no
 * undeclared extreme values, and its raster type is detected and checked against the one given.
 * The result is the typed description every later phase works from (and that the checkpoint stores).
 */
import { MeridianError } from '@meridian/core';
import { gdalInfo, nodataOf, type GdalBand, type GdalInfo } from './gdal-info.ts';
import { isUnreadableInput } from './gdal-runner.ts';
import { checkRasterType, detectRasterType, type RasterShape } from './raster-type.ts';
import { fileDatetime } from './file-datetime.ts';
import type { RasterType, RasterTypeChoice } from './parameters.ts';

export interface SourceBand {
  index: number;
  dataType: string;
  colorInterpretation: string;
  description: string;
  nodata: number | null;
  unit: string | null;
  scale: number | null;
  offset: number | null;
}

export interface SourceCrs {
  wkt: string;
  /** Given with the job (the `crs` parameter) rather than read from the file. */
  assigned: boolean;
  /** The user's CRS string when assigned (e.g. EPSG:4326), for `-a_srs`. */
  definition: string | null;
}

/** A validated input raster: everything later phases need to know about it. */
export interface ValidatedRaster {
  width: number;
  height: number;
  bandCount: number;
  dataType: string;
  bands: SourceBand[];
  crs: SourceCrs;
  /** Null when the raster is georeferenced by ground control points only (it is then warped). */
  geoTransform: [number, number, number, number, number, number] | null;
  rasterType: RasterType;
  detectedRasterType: RasterType;
  /** Pixel bytes when uncompressed: decides whether the raster is converted in tiles. */
  uncompressedBytes: number;
  /** Acquisition time written in the file, ISO 8601, or null. */
  fileDatetime: string | null;
}

export interface ValidateOptions {
  crs?: string | undefined;
  rasterType: RasterTypeChoice;
  signal: AbortSignal;
}

const UNSUPPORTED_TYPES = /^(Int64|UInt64|CInt16|CInt32|CFloat32|CFloat64)$/;
const BYTES_PER_SAMPLE: Record<string, number> = { Byte: 1, Int8: 1, UInt16: 2, Int16: 2, UInt32: 4, Int32: 4, Float32: 4, Float64: 8 };
/** Float values this far out are fill values (±3.4e38 is FLT_MAX), not measurements. */
export const EXTREME_MAGNITUDE = 1e30;
const DEFAULT_GEOTRANSFORM = [0, 1, 0, 0, 0, 1];

const NO_VALID_PIXELS = /no valid pixels/i;

/**
 * What a GDAL failure on the input means for the user: GDAL unable to read it is a broken file
 * (CORRUPTED_FILE), statistics without a single valid pixel an empty raster (RASTER_EMPTY); anything
 * else stays as it is (GDAL_FAILED, retried).
 */
export function inputError(error: unknown, name: string): unknown {
  if (isUnreadableInput(error)) {
    const detail = (error as Error).message.replace(/^[a-z_]+ failed: /, '');
    return new MeridianError('CORRUPTED_FILE', `GDAL cannot read "${name}": ${detail}`, { blob_name: name }, { cause: error });
  }
  if (error instanceof MeridianError && error.code === 'GDAL_FAILED' && NO_VALID_PIXELS.test(error.message)) {
    return new MeridianError('RASTER_EMPTY', `every pixel of "${name}" is nodata`, { blob_name: name }, { cause: error });
  }
  return error;
}

/**
 * Opens the file with GDAL, sampling its statistics when asked. Sampling can miss the valid pixels of a
 * sparse raster, so "no valid pixels" is checked again on every pixel before the raster is declared empty.
 */
async function open(path: string, name: string, signal: AbortSignal, sampleStatistics: boolean): Promise<GdalInfo> {
  try {
    if (!sampleStatistics) return await gdalInfo(path, { signal });
    try {
      return await gdalInfo(path, { stats: 'approximate', signal });
    } catch (error) {
      if (!(error instanceof MeridianError && NO_VALID_PIXELS.test(error.message))) throw error;
      return await gdalInfo(path, { stats: 'exact', signal });
    }
  } catch (error) {
    throw inputError(error, name);
  }
}

/**
 * Statistics matter to validation for float bands (undeclared fill values) and single bands (what the
 * values mean); a multi-band integer raster is told by its structure alone, without reading pixels.
 */
function needsStatistics(header: GdalInfo): boolean {
  return header.bands.length === 1 || header.bands.some((b) => b.type.startsWith('Float'));
}

function isGeoreferenced(info: GdalInfo): boolean {
  const gt = info.geoTransform;
  return gt !== undefined && gt.some((v, i) => v !== DEFAULT_GEOTRANSFORM[i]);
}

function sourceBand(band: GdalBand): SourceBand {
  return {
    index: band.band,
    dataType: band.type,
    colorInterpretation: band.colorInterpretation ?? 'Undefined',
    description: band.description ?? '',
    nodata: nodataOf(band),
    unit: band.unit ?? null,
    scale: band.scale ?? null,
    offset: band.offset ?? null,
  };
}

/** Refuses float bands whose minimum or maximum is a fill value that is not declared nodata. */
export function assertNoExtremeValues(info: GdalInfo, name: string): void {
  const index = info.bands.findIndex((b) => {
    const nodata = nodataOf(b);
    return b.type.startsWith('Float') && [b.minimum, b.maximum].some((v) => v !== undefined && Math.abs(v) >= EXTREME_MAGNITUDE && v !== nodata);
  });
  if (index >= 0) {
    const b = info.bands[index]!;
    throw new MeridianError('EXTREME_VALUES', `band ${index + 1} of "${name}" holds ${b.minimum} … ${b.maximum}, fill values that are not declared nodata`, { band: index + 1, minimum: b.minimum, maximum: b.maximum });
  }
}

function shapeOf(info: GdalInfo, histogram: number[] | null): RasterShape {
  const first = info.bands[0]!;
  return {
    bandCount: info.bands.length,
    dataType: first.type,
    colorInterpretations: info.bands.map((b) => b.colorInterpretation ?? 'Undefined'),
    hasColorTable: first.colorTable !== undefined,
    first: first.minimum !== undefined && first.maximum !== undefined ? { min: first.minimum, max: first.maximum, std: first.stdDev ?? 0, histogram } : null,
  };
}

/** Single integer bands with a small range may be class maps: only they need a histogram to tell. */
async function categoricalHistogram(path: string, info: GdalInfo, signal: AbortSignal): Promise<number[] | null> {
  const first = info.bands[0]!;
  if (info.bands.length !== 1 || !/^(Byte|Int8|U?Int16|U?Int32)$/.test(first.type) || first.minimum === undefined || first.maximum === undefined) return null;
  if (first.maximum - first.minimum > 255) return null;
  const withHistogram = await gdalInfo(path, { stats: 'approximate', histogram: true, signal });
  return withHistogram.bands[0]?.histogram?.buckets ?? null;
}

export async function validateRaster(path: string, name: string, options: ValidateOptions): Promise<ValidatedRaster> {
  const { signal } = options;
  const header = await open(path, name, signal, false);
  if (header.driverShortName !== 'GTiff') {
    throw new MeridianError('CORRUPTED_FILE', `"${name}" is a ${header.driverShortName} file, not a GeoTIFF`, { blob_name: name, driver: header.driverShortName });
  }
  if (header.bands.length === 0) throw new MeridianError('CORRUPTED_FILE', `"${name}" has no raster bands`, { blob_name: name });
  const gcpOnly = !isGeoreferenced(header) && (header.gcps?.gcpList.length ?? 0) >= 3;
  if (!isGeoreferenced(header) && !gcpOnly) {
    throw new MeridianError('RASTER_NOT_GEOREFERENCED', `"${name}" has neither a geotransform nor ground control points`, { blob_name: name });
  }
  const fileWkt = header.coordinateSystem?.wkt || header.gcps?.coordinateSystem?.wkt || '';
  if (!fileWkt && !options.crs) {
    throw new MeridianError('CRS_MISSING', `"${name}" has no coordinate reference system; give one with the crs parameter (e.g. EPSG:4326)`, { blob_name: name });
  }
  const dataType = header.bands[0]!.type;
  if (UNSUPPORTED_TYPES.test(dataType)) {
    throw new MeridianError('UNSUPPORTED_DATA_TYPE', `"${name}" stores ${dataType} values; 64-bit integers and complex numbers are not supported`, { blob_name: name, data_type: dataType });
  }

  const sampled = needsStatistics(header) ? await open(path, name, signal, true) : header;
  assertNoExtremeValues(sampled, name);
  const shape = shapeOf(sampled, await categoricalHistogram(path, sampled, signal));
  const detected = detectRasterType(shape);
  if (options.rasterType !== 'auto') checkRasterType(options.rasterType, shape);
  const [width, height] = header.size;
  return {
    width,
    height,
    bandCount: header.bands.length,
    dataType,
    bands: header.bands.map(sourceBand),
    crs: fileWkt ? { wkt: fileWkt, assigned: false, definition: null } : { wkt: '', assigned: true, definition: options.crs! },
    geoTransform: gcpOnly ? null : header.geoTransform!,
    rasterType: options.rasterType === 'auto' ? detected : options.rasterType,
    detectedRasterType: detected,
    uncompressedBytes: width * height * header.bands.length * (BYTES_PER_SAMPLE[dataType] ?? 8),
    fileDatetime: fileDatetime(header.metadata ?? {}),
  };
}
