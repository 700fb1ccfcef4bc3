/**
 * Raster types: what the pixels mean decides how they may be resampled (overviews, reprojection), which
 * STAC extensions describe them, and how the tile API renders them. `detectRasterType` guesses the type
 * from the structure and statistics; `checkRasterType` refuses a user-given type the data cannot be.
 */
import { MeridianError } from '@meridian/core';
import type { RasterType } from './parameters.ts';

export type Resampling = 'nearest' | 'mode' | 'average' | 'bilinear' | 'cubic';

export interface RasterTypeProfile {
  /** Overviews: cubic for imagery, average for continuous data, mode for classes. */
  overviewResampling: Resampling;
  /** Reprojection (`target_crs`): cubic for imagery, bilinear for continuous data, nearest for classes. */
  warpResampling: Resampling;
  /** Imagery gets the STAC `eo` extension. */
  imagery: boolean;
  bands: { min: number; max: number };
  /** The data types the type allows (null: any the ETL accepts). */
  dataTypes: readonly string[] | null;
}

const INTEGER_TYPES = ['Byte', 'Int8', 'UInt16', 'Int16', 'UInt32', 'Int32'] as const;
const IMAGE_TYPES = ['Byte', 'UInt16'] as const;
const ANY_BANDS = { min: 1, max: Number.MAX_SAFE_INTEGER };
const ONE_BAND = { min: 1, max: 1 };

function imagery(bands: { min: number; max: number }): RasterTypeProfile {
  return { overviewResampling: 'cubic', warpResampling: 'cubic', imagery: true, bands, dataTypes: IMAGE_TYPES };
}
function continuous(bands: { min: number; max: number }): RasterTypeProfile {
  return { overviewResampling: 'average', warpResampling: 'bilinear', imagery: false, bands, dataTypes: null };
}

export const RASTER_TYPE_PROFILES: Record<RasterType, RasterTypeProfile> = {
  rgb: imagery({ min: 3, max: 3 }),
  rgba: imagery({ min: 4, max: 4 }),
  nir: imagery({ min: 4, max: Number.MAX_SAFE_INTEGER }),
  multispectral: { ...imagery({ min: 2, max: Number.MAX_SAFE_INTEGER }), dataTypes: null },
  categorical: { overviewResampling: 'mode', warpResampling: 'nearest', imagery: false, bands: ONE_BAND, dataTypes: INTEGER_TYPES },
  dem: continuous(ONE_BAND),
  vegetation_index: continuous(ONE_BAND),
  flood_depth: continuous(ONE_BAND),
  flood_probability: continuous(ONE_BAND),
  hydrology: continuous(ONE_BAND),
  population: continuous(ONE_BAND),
  continuous: continuous(ANY_BANDS),
  temporal: continuous(ANY_BANDS),
};

/** What detection looks at: the structure, plus (approximate) statistics of the first band. */
export interface RasterShape {
  bandCount: number;
  dataType: string;
  colorInterpretations: string[];
  hasColorTable: boolean;
  first: { min: number; max: number; std: number; histogram: number[] | null } | null;
}

/** Class maps rarely have more classes than this; more distinct values look like measurements. */
const MAX_CLASSES = 32;
/** The rule of thumb: a smooth single band (std/range below this) is an elevation model. */
const DEM_SMOOTHNESS = 0.3;

function isInteger(dataType: string): boolean {
  return (INTEGER_TYPES as readonly string[]).includes(dataType);
}

function looksCategorical(shape: RasterShape): boolean {
  if (shape.hasColorTable) return true;
  const first = shape.first;
  if (!first || !isInteger(shape.dataType) || first.max - first.min > 255 || !first.histogram) return false;
  return first.histogram.filter((count) => count > 0).length <= MAX_CLASSES;
}

export function detectRasterType(shape: RasterShape): RasterType {
  const { bandCount, dataType, colorInterpretations: ci } = shape;
  const image = (IMAGE_TYPES as readonly string[]).includes(dataType);
  if (bandCount === 3 && image) return 'rgb';
  if (bandCount === 4 && image) return ci[3] === 'Alpha' ? 'rgba' : 'nir';
  if (bandCount > 1) return 'multispectral';
  if (looksCategorical(shape)) return 'categorical';
  const first = shape.first;
  if (!first) return 'continuous';
  const range = first.max - first.min;
  if (!isInteger(dataType) && first.min >= -1 && first.max <= 1) return 'vegetation_index';
  if (dataType !== 'Byte' && range > 0 && first.std / range < DEM_SMOOTHNESS) return 'dem';
  return 'continuous';
}

/** Refuses a user-given type the data cannot be (RASTER_TYPE_MISMATCH, naming what it looks like). */
export function checkRasterType(given: RasterType, shape: RasterShape): void {
  const profile = RASTER_TYPE_PROFILES[given];
  const problems: string[] = [];
  if (shape.bandCount < profile.bands.min || shape.bandCount > profile.bands.max) {
    const wanted = profile.bands.min === profile.bands.max ? `${profile.bands.min}` : `at least ${profile.bands.min}`;
    problems.push(`it has ${shape.bandCount} band(s), ${given} needs ${wanted}`);
  }
  if (profile.dataTypes && !profile.dataTypes.includes(shape.dataType)) {
    problems.push(`its data type is ${shape.dataType}, ${given} needs ${profile.dataTypes.join(' or ')}`);
  }
  if (problems.length > 0) {
    const detected = detectRasterType(shape);
    throw new MeridianError('RASTER_TYPE_MISMATCH', `raster_type "${given}" does not fit this raster: ${problems.join('; ')}; it looks like "${detected}"`, { raster_type: given, detected });
  }
}
