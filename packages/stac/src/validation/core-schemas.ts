/**
 * The STAC 1.x core rules for Items and Collections as JSON Schema (draft-07), written for Meridian from
 * the STAC specification (item-spec, collection-spec, commons: common metadata, assets, links). No package
 * on npm ships the STAC JSON schemas, and they must never be fetched at run time, so Meridian carries its
 * own rendering of them; `stac_version` may be any 1.x.
 */
import { GEOJSON_DEFINITIONS } from './geojson-schema.ts';

const dateTime = { type: 'string', format: 'date-time' };
const strings = { type: 'array', items: { type: 'string' } };

const provider = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    roles: { type: 'array', items: { enum: ['producer', 'licensor', 'processor', 'host'] } },
    url: { type: 'string', format: 'uri' },
  },
};

/** Common metadata: fields any properties, asset or band object may carry, with their types. */
const commonMetadata = {
  title: { type: 'string' },
  description: { type: 'string' },
  keywords: strings,
  roles: strings,
  created: dateTime,
  updated: dateTime,
  start_datetime: dateTime,
  end_datetime: dateTime,
  license: { type: 'string', pattern: '^[^,\\s]+$' },
  providers: { type: 'array', items: provider },
  platform: { type: 'string' },
  instruments: strings,
  constellation: { type: 'string' },
  mission: { type: 'string' },
  gsd: { type: 'number', exclusiveMinimum: 0 },
};

const link = {
  type: 'object',
  required: ['rel', 'href'],
  properties: {
    href: { type: 'string', minLength: 1 },
    rel: { type: 'string', minLength: 1 },
    type: { type: 'string' },
    title: { type: 'string' },
  },
};

const asset = {
  type: 'object',
  required: ['href'],
  properties: { ...commonMetadata, href: { type: 'string', minLength: 1 }, type: { type: 'string' } },
};

const stacVersion = { type: 'string', pattern: '^1\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?$' };
const stacExtensions = { type: 'array', uniqueItems: true, items: { type: 'string', format: 'uri' } };

export const ITEM_SCHEMA = {
  $id: 'https://meridian.invalid/stac/item.json',
  title: 'STAC Item (1.x core)',
  type: 'object',
  required: ['type', 'stac_version', 'id', 'geometry', 'properties', 'links', 'assets'],
  properties: {
    type: { const: 'Feature' },
    stac_version: stacVersion,
    stac_extensions: stacExtensions,
    id: { type: 'string', minLength: 1 },
    collection: { type: 'string', minLength: 1 },
    geometry: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/geometry' }] },
    bbox: { $ref: '#/definitions/bbox' },
    properties: {
      type: 'object',
      required: ['datetime'],
      properties: { ...commonMetadata, datetime: { oneOf: [dateTime, { type: 'null' }] } },
      // A null datetime needs the range instead.
      if: { properties: { datetime: { type: 'null' } } },
      then: { required: ['start_datetime', 'end_datetime'] },
    },
    links: { type: 'array', items: link },
    assets: { type: 'object', additionalProperties: asset },
  },
  // An item with a geometry must say its bbox.
  if: { properties: { geometry: { type: 'object' } } },
  then: { required: ['bbox'] },
  definitions: GEOJSON_DEFINITIONS,
} as const;

const interval = { type: 'array', minItems: 2, maxItems: 2, items: { oneOf: [dateTime, { type: 'null' }] } };

export const COLLECTION_SCHEMA = {
  $id: 'https://meridian.invalid/stac/collection.json',
  title: 'STAC Collection (1.x core)',
  type: 'object',
  required: ['type', 'stac_version', 'id', 'description', 'license', 'extent', 'links'],
  properties: {
    type: { const: 'Collection' },
    stac_version: stacVersion,
    stac_extensions: stacExtensions,
    id: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    description: { type: 'string', minLength: 1 },
    keywords: strings,
    license: commonMetadata.license,
    providers: commonMetadata.providers,
    extent: {
      type: 'object',
      required: ['spatial', 'temporal'],
      properties: {
        spatial: { type: 'object', required: ['bbox'], properties: { bbox: { type: 'array', minItems: 1, items: { $ref: '#/definitions/bbox' } } } },
        temporal: { type: 'object', required: ['interval'], properties: { interval: { type: 'array', minItems: 1, items: interval } } },
      },
    },
    summaries: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          { type: 'array' },
          { type: 'object', required: ['minimum', 'maximum'], properties: { minimum: { type: ['number', 'string'] }, maximum: { type: ['number', 'string'] } } },
          { type: 'object', description: 'a JSON Schema' },
        ],
      },
    },
    links: { type: 'array', items: link },
    assets: { type: 'object', additionalProperties: asset },
    item_assets: { type: 'object', additionalProperties: { type: 'object', properties: commonMetadata } },
  },
  definitions: GEOJSON_DEFINITIONS,
} as const;
