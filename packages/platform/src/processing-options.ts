import { postgresSlug } from '@meridian/core';
import { asObject, invalid, optionalBoolean, optionalEnum, optionalInteger, optionalString, optionalStringArray, rejectUnknown, type Body } from './fields.ts';

export type DataType = 'vector' | 'raster' | 'zarr';

const P = 'processing_options.';
const COMMON_KEYS = ['overwrite', 'collection_id'] as const;
const VECTOR_KEYS = [...COMMON_KEYS, 'table_name', 'lat_column', 'lon_column', 'wkt_column', 'layer_name', 'temporal_property', 'indexes', 'create_stac', 'split_column'] as const;
const RASTER_KEYS = [...COMMON_KEYS, 'crs', 'raster_type', 'output_tier'] as const;
const ZARR_KEYS = [...COMMON_KEYS, 'concat_dim', 'file_pattern', 'spatial_chunk_size', 'time_chunk_size'] as const;

export const RASTER_TYPES = ['auto', 'rgb', 'rgba', 'dem', 'categorical', 'multispectral', 'nir', 'continuous', 'vegetation_index', 'flood_depth', 'flood_probability', 'hydrology', 'temporal', 'population'] as const;
export const OUTPUT_TIERS = ['visualization', 'analysis', 'archive', 'all'] as const;

export interface CommonOptions {
  overwrite: boolean;
  collectionId: string | null;
}

export interface VectorOptions extends CommonOptions {
  kind: 'vector';
  tableName: string | null;
  latColumn: string | null;
  lonColumn: string | null;
  wktColumn: string | null;
  layerName: string | null;
  temporalProperty: string | null;
  indexes: { spatial: boolean; temporal: string[]; attributes: string[] } | null;
  createStac: boolean;
  splitColumn: string | null;
}

export interface RasterOptions extends CommonOptions {
  kind: 'raster';
  crs: string | null;
  rasterType: (typeof RASTER_TYPES)[number];
  outputTier: (typeof OUTPUT_TIERS)[number];
}

export interface ZarrOptions extends CommonOptions {
  kind: 'zarr';
  concatDim: string;
  filePattern: string | null;
  spatialChunkSize: number;
  timeChunkSize: number | null;
}

export type ProcessingOptions = VectorOptions | RasterOptions | ZarrOptions;

const COLLECTION_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CRS = /^EPSG:\d{4,6}$/;

function common(body: Body): CommonOptions {
  const collectionId = optionalString(body, 'collection_id', { prefix: P });
  if (collectionId !== null && !COLLECTION_ID.test(collectionId)) {
    throw invalid(`${P}collection_id`, 'must be 1 to 63 characters of lower-case letters, digits and "-", starting with a letter or digit');
  }
  return { overwrite: optionalBoolean(body, 'overwrite', P) ?? false, collectionId };
}

function indexes(value: unknown): VectorOptions['indexes'] {
  if (value === undefined || value === null) return null;
  const body = asObject(value, `${P}indexes`);
  rejectUnknown(body, ['spatial', 'temporal', 'attributes'], `${P}indexes`);
  return {
    spatial: optionalBoolean(body, 'spatial', `${P}indexes.`) ?? true,
    temporal: optionalStringArray(body, 'temporal', `${P}indexes.`) ?? [],
    attributes: optionalStringArray(body, 'attributes', `${P}indexes.`) ?? [],
  };
}

function vector(body: Body, extension: string): VectorOptions {
  rejectUnknown(body, VECTOR_KEYS, 'processing_options for vector data');
  const tableName = optionalString(body, 'table_name', { prefix: P, max: 255 });
  if (tableName !== null && postgresSlug(tableName) === '') throw invalid(`${P}table_name`, 'has no letters or digits');
  const options: VectorOptions = {
    kind: 'vector',
    ...common(body),
    tableName: tableName === null ? null : postgresSlug(tableName),
    latColumn: optionalString(body, 'lat_column', { prefix: P, max: 63 }),
    lonColumn: optionalString(body, 'lon_column', { prefix: P, max: 63 }),
    wktColumn: optionalString(body, 'wkt_column', { prefix: P, max: 63 }),
    layerName: optionalString(body, 'layer_name', { prefix: P, max: 255 }),
    temporalProperty: optionalString(body, 'temporal_property', { prefix: P, max: 63 }),
    indexes: indexes(body.indexes),
    createStac: optionalBoolean(body, 'create_stac', P) ?? true,
    splitColumn: optionalString(body, 'split_column', { prefix: P, max: 63 }),
  };
  if ((options.latColumn === null) !== (options.lonColumn === null)) {
    throw invalid(`${P}${options.latColumn === null ? 'lat_column' : 'lon_column'}`, 'lat_column and lon_column go together; give both');
  }
  if (extension === 'csv' && options.latColumn === null && options.wktColumn === null) {
    throw invalid(`${P}lat_column`, 'CSV files need processing_options.lat_column and lon_column, or wkt_column, to locate the geometry');
  }
  return options;
}

function raster(body: Body): RasterOptions {
  rejectUnknown(body, RASTER_KEYS, 'processing_options for raster data');
  const crs = optionalString(body, 'crs', { prefix: P });
  if (crs !== null && !CRS.test(crs)) throw invalid(`${P}crs`, `must look like EPSG:4326; got '${crs}'`);
  return {
    kind: 'raster',
    ...common(body),
    crs,
    rasterType: optionalEnum(body, 'raster_type', RASTER_TYPES, P) ?? 'auto',
    outputTier: optionalEnum(body, 'output_tier', OUTPUT_TIERS, P) ?? 'analysis',
  };
}

function zarr(body: Body): ZarrOptions {
  rejectUnknown(body, ZARR_KEYS, 'processing_options for zarr data');
  return {
    kind: 'zarr',
    ...common(body),
    concatDim: optionalString(body, 'concat_dim', { prefix: P, max: 63 }) ?? 'time',
    filePattern: optionalString(body, 'file_pattern', { prefix: P, max: 255 }),
    spatialChunkSize: optionalInteger(body, 'spatial_chunk_size', 64, 1024, P) ?? 256,
    timeChunkSize: optionalInteger(body, 'time_chunk_size', 1, 100, P),
  };
}

/** Parses `processing_options` for the data type the files determined; unknown keys are a 400. */
export function parseProcessingOptions(value: unknown, dataType: DataType, extension: string): ProcessingOptions {
  const body = value === undefined || value === null ? {} : asObject(value, 'processing_options');
  if (dataType === 'vector') return vector(body, extension);
  if (dataType === 'raster') return raster(body);
  return zarr(body);
}
