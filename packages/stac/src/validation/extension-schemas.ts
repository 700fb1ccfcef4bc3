/**
 * The STAC extensions Meridian validates, with the types of their fields, written for Meridian from the
 * extension specifications (stac-extensions.github.io). An item or collection may declare only these in
 * `stac_extensions`: an extension whose rules are not carried here cannot be checked offline, so it is
 * refused rather than stored unchecked.
 */
import { MeridianError } from '@meridian/core';

type Fields = Record<string, unknown>;

const number = { type: 'number' };
const nonNegativeInteger = { type: 'integer', minimum: 0 };
const percent = { type: 'number', minimum: 0, maximum: 100 };

const statistics = {
  type: 'object',
  properties: { mean: number, minimum: number, maximum: number, stddev: number, valid_percent: percent },
};

const RASTER_DATA_TYPES = [
  'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64',
  'cint16', 'cint32', 'cfloat32', 'cfloat64', 'other',
];

const rasterBand = {
  type: 'object',
  properties: {
    nodata: { oneOf: [number, { enum: ['nan', 'inf', '-inf'] }] },
    sampling: { enum: ['area', 'point'] },
    data_type: { enum: RASTER_DATA_TYPES },
    bits_per_sample: { type: 'integer', minimum: 1 },
    spatial_resolution: number,
    statistics,
    unit: { type: 'string' },
    scale: number,
    offset: number,
    histogram: { type: 'object' },
  },
};

const eoBand = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    common_name: { type: 'string' },
    description: { type: 'string' },
    center_wavelength: number,
    full_width_half_max: number,
    solar_illumination: number,
  },
};

interface ExtensionRules {
  /** Major versions whose fields are the ones below. */
  majors: readonly number[];
  fields: Fields;
}

const EXTENSIONS: Record<string, ExtensionRules> = {
  projection: {
    majors: [1, 2],
    fields: {
      'proj:epsg': { type: ['integer', 'null'] },
      'proj:code': { type: ['string', 'null'] },
      'proj:wkt2': { type: ['string', 'null'] },
      'proj:projjson': { type: ['object', 'null'] },
      'proj:geometry': { $ref: '#/definitions/geometry' },
      'proj:bbox': { type: 'array', items: number, oneOf: [{ minItems: 4, maxItems: 4 }, { minItems: 6, maxItems: 6 }] },
      'proj:centroid': {
        type: 'object',
        required: ['lat', 'lon'],
        properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
      },
      'proj:shape': { type: 'array', minItems: 2, maxItems: 2, items: nonNegativeInteger },
      'proj:transform': { type: 'array', items: number, oneOf: [{ minItems: 6, maxItems: 6 }, { minItems: 9, maxItems: 9 }] },
    },
  },
  raster: { majors: [1], fields: { 'raster:bands': { type: 'array', items: rasterBand } } },
  eo: {
    majors: [1],
    fields: { 'eo:bands': { type: 'array', items: eoBand }, 'eo:cloud_cover': percent, 'eo:snow_cover': percent },
  },
  file: {
    majors: [2],
    fields: {
      'file:size': nonNegativeInteger,
      'file:header_size': nonNegativeInteger,
      'file:checksum': { type: 'string', pattern: '^[0-9a-fA-F]+$' },
      'file:byte_order': { enum: ['big-endian', 'little-endian'] },
      'file:local_path': { type: 'string' },
      'file:values': { type: 'array' },
    },
  },
};

const EXTENSION_URI = /^https:\/\/stac-extensions\.github\.io\/([a-z-]+)\/v(\d+)\.(\d+)\.(\d+)\/schema\.json$/;

/** The URI of a supported extension version, as items should declare it. */
export const EXTENSION_URIS = {
  projection: 'https://stac-extensions.github.io/projection/v2.0.0/schema.json',
  raster: 'https://stac-extensions.github.io/raster/v1.1.0/schema.json',
  eo: 'https://stac-extensions.github.io/eo/v1.1.0/schema.json',
  file: 'https://stac-extensions.github.io/file/v2.1.0/schema.json',
} as const;

export function supportedExtensions(): string[] {
  return Object.entries(EXTENSIONS).map(([name, rules]) => `${name} v${rules.majors.join('/v')}.x`);
}

/** The field rules an extension URI stands for; STAC_EXTENSION_UNSUPPORTED for any other URI. */
export function extensionFields(uri: string): { name: string; fields: Fields } {
  const match = EXTENSION_URI.exec(uri);
  const rules = match ? EXTENSIONS[match[1]!] : undefined;
  if (!match || !rules || !rules.majors.includes(Number(match[2]))) {
    throw new MeridianError(
      'STAC_EXTENSION_UNSUPPORTED',
      `stac_extensions: "${uri.slice(0, 200)}" cannot be validated offline; supported: ${supportedExtensions().join(', ')}`,
      { extension: uri.slice(0, 200) },
    );
  }
  return { name: `${match[1]} v${match[2]}`, fields: rules.fields };
}
