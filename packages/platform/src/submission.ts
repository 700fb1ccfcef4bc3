import { MeridianError } from '@meridian/core';
import { asObject, invalid, optionalString, rejectUnknown, requiredString, type Body } from './fields.ts';
import { parseProcessingOptions, type DataType, type ProcessingOptions } from './processing-options.ts';

export const SUBMIT_FIELDS = [
  'dataset_id', 'resource_id', 'version_id', 'previous_version_id', 'container_name', 'file_name', 'source_url',
  'title', 'description', 'tags', 'access_level', 'processing_options', 'client_id', 'callback_url',
] as const;

export type AccessLevel = 'public' | 'ouo';

/** A submission after validation: every field checked, normalized and typed. */
export interface Submission {
  datasetId: string;
  resourceId: string;
  versionId: string | null;
  previousVersionId: string | null;
  containerName: string;
  files: string[];
  sourceUrl: string | null;
  title: string | null;
  description: string | null;
  tags: string[];
  accessLevel: AccessLevel;
  clientId: string;
  callbackUrl: string | null;
  dataType: DataType;
  /** A raster submission of several files becomes one raster collection (mosaic). */
  isCollection: boolean;
  options: ProcessingOptions;
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CONTAINER = /^[a-z0-9-]{3,63}$/;
const VECTOR_EXTENSIONS = ['geojson', 'json', 'gpkg', 'shp', 'zip', 'csv', 'kml', 'kmz', 'fgb', 'parquet'];
const RASTER_EXTENSIONS = ['tif', 'tiff'];
const ZARR_EXTENSIONS = ['nc', 'zarr'];

/** Letters, digits, ".", "_", "-", first one alphanumeric, within the contract's length. */
export function identifier(body: Body, field: string, max: number, required: boolean): string | null {
  const value = required ? requiredString(body, field) : optionalString(body, field);
  if (value === null) return null;
  if (value.length > max) throw new MeridianError('INVALID_IDENTIFIER', `${field}: must be at most ${max} characters (got ${value.length})`, { field });
  if (!IDENTIFIER.test(value)) {
    throw new MeridianError('INVALID_IDENTIFIER', `${field}: use only letters, digits, ".", "_" and "-", starting with a letter or digit`, { field });
  }
  return value;
}

/** `public`, or `ouo` / `official use only` (any case) → `ouo`; default `ouo`. */
export function accessLevel(value: unknown): AccessLevel {
  if (value === undefined || value === null) return 'ouo';
  if (typeof value !== 'string') throw invalid('access_level', 'must be a string');
  const normalized = value.trim().toLowerCase().replace(/[\s_]+/g, ' ');
  if (normalized === 'public') return 'public';
  if (normalized === 'ouo' || normalized === 'official use only') return 'ouo';
  if (normalized === 'restricted') throw invalid('access_level', "'restricted' is not yet supported; use 'public' or 'ouo'");
  throw invalid('access_level', `must be 'public' or 'ouo' (also 'official use only'); got '${value}'`);
}

function files(body: Body): string[] {
  const value = body.file_name;
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((f): f is string => typeof f === 'string' && f.trim() !== '')) {
    throw invalid('file_name', 'must be a blob name or a non-empty array of blob names');
  }
  for (const name of list) {
    if (name.length > 1024 || name.startsWith('/') || name.includes('\\') || name.split('/').some((s) => s === '..' || s === '.' || s === '') || /[\u0000-\u001f\u007f]/.test(name)) {
      throw new MeridianError('INVALID_BLOB_KEY', `file_name: '${name.slice(0, 80)}' is not a valid blob name`, { field: 'file_name' });
    }
  }
  return list;
}

function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1).replace(/\/+$/, '');
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

function dataTypeOf(fileNames: string[], sourceUrl: string | null): { dataType: DataType; extension: string } {
  const first = fileNames[0];
  if (first === undefined) return { dataType: 'zarr', extension: extensionOf(sourceUrl ?? '') };
  const extension = extensionOf(first);
  if (VECTOR_EXTENSIONS.includes(extension)) return { dataType: 'vector', extension };
  if (RASTER_EXTENSIONS.includes(extension)) return { dataType: 'raster', extension };
  if (ZARR_EXTENSIONS.includes(extension)) return { dataType: 'zarr', extension };
  throw new MeridianError('UNSUPPORTED_FILE_FORMAT', `Unsupported file format: '${extension ? `.${extension}` : first}'. Supported: ${[...VECTOR_EXTENSIONS, ...RASTER_EXTENSIONS, ...ZARR_EXTENSIONS].join(', ')}`, { field: 'file_name' });
}

function httpUrl(body: Body, field: string): string | null {
  const value = optionalString(body, field, { max: 2048 });
  if (value === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(field, 'must be an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && field === 'callback_url') throw invalid(field, 'must be an http(s) URL');
  return value;
}

/** Validates a submit body against the contract; every failure is a 400 naming the field. */
export function parseSubmission(raw: unknown): Submission {
  const body = asObject(raw ?? {}, 'body');
  rejectUnknown(body, SUBMIT_FIELDS, 'the submission');
  const datasetId = identifier(body, 'dataset_id', 255, true) as string;
  const resourceId = identifier(body, 'resource_id', 255, true) as string;
  const versionId = identifier(body, 'version_id', 50, false);
  const previousVersionId = identifier(body, 'previous_version_id', 50, false);
  const containerName = requiredString(body, 'container_name');
  if (!CONTAINER.test(containerName)) throw new MeridianError('INVALID_CONTAINER_NAME', 'container_name: must be 3 to 63 characters of lower-case letters, digits and "-"', { field: 'container_name' });
  const fileNames = files(body);
  const sourceUrl = httpUrl(body, 'source_url');
  if (fileNames.length === 0 && sourceUrl === null) throw invalid('file_name', 'is required (or source_url for Zarr/NetCDF)');
  if (fileNames.length > 0 && sourceUrl !== null) throw invalid('source_url', 'give file_name or source_url, not both');
  const { dataType, extension } = dataTypeOf(fileNames, sourceUrl);
  if (fileNames.length > 1 && dataType !== 'raster') throw invalid('file_name', `several files are accepted only for rasters (a raster collection); this is ${dataType} data`);
  const tagsValue = body.tags ?? [];
  if (!Array.isArray(tagsValue) || !tagsValue.every((t): t is string => typeof t === 'string' && t.length <= 100)) throw invalid('tags', 'must be an array of strings');
  const clientId = identifier(body, 'client_id', 64, false) ?? 'ddh';
  return {
    datasetId,
    resourceId,
    versionId,
    previousVersionId,
    containerName,
    files: fileNames,
    sourceUrl,
    title: optionalString(body, 'title', { max: 500 }),
    description: optionalString(body, 'description', { max: 10_000 }),
    tags: tagsValue,
    accessLevel: accessLevel(body.access_level),
    clientId,
    callbackUrl: httpUrl(body, 'callback_url'),
    dataType,
    isCollection: dataType === 'raster' && fileNames.length > 1,
    options: parseProcessingOptions(body.processing_options, dataType, extension),
  };
}
