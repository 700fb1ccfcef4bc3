/**
 * The parameters of the raster job types, as the jobs API validates them (TypeBox, defaults filled in
 * before the job id is derived). The names follow the platform contract's processing_options.
 */
import { Type, type Static } from 'typebox';

export const RASTER_TYPES = [
  'auto', 'rgb', 'rgba', 'dem', 'categorical', 'multispectral', 'nir', 'continuous', 'vegetation_index',
  'flood_depth', 'flood_probability', 'hydrology', 'temporal', 'population',
] as const;
export type RasterTypeChoice = (typeof RASTER_TYPES)[number];
/** A detected or confirmed raster type ("auto" resolved). */
export type RasterType = Exclude<RasterTypeChoice, 'auto'>;

export const TIERS = ['visualization', 'analysis', 'archive'] as const;
export type Tier = (typeof TIERS)[number];
export const OUTPUT_TIERS = [...TIERS, 'all'] as const;
export type OutputTier = (typeof OUTPUT_TIERS)[number];

export const DEFAULT_RASTER_COLLECTION = 'system-rasters';
export const DEFAULT_OUTPUT_CONTAINER = 'silver-rasters';

const EPSG = '^EPSG:[0-9]{4,6}$';
const COLLECTION_ID = '^[a-z0-9][a-z0-9-]{0,62}$';
const ITEM_ID = '^[a-z0-9][a-z0-9._-]{0,127}$';
const CONTAINER = '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$';

const container = Type.String({ pattern: CONTAINER, description: 'Container holding the input GeoTIFF(s), e.g. bronze-uploads' });
const collectionId = Type.String({ pattern: COLLECTION_ID, default: DEFAULT_RASTER_COLLECTION, description: 'STAC collection of the outputs' });

/** What one raster's processing needs besides where the file is: shared by the single and collection jobs. */
const conversionOptions = {
  output_tier: Type.Enum(OUTPUT_TIERS, {
    default: 'analysis',
    description: 'visualization = JPEG q85 (3-band 8-bit only); analysis = DEFLATE (lossless); archive = LZW; all = every tier the raster allows',
  }),
  raster_type: Type.Enum(RASTER_TYPES, { default: 'auto', description: 'What the pixels are; auto detects it' }),
  crs: Type.Optional(Type.String({ pattern: EPSG, description: 'CRS of an input that has none, e.g. EPSG:4326' })),
  target_crs: Type.Optional(Type.String({ pattern: EPSG, description: 'Reproject to this CRS (default: keep the source CRS)' })),
  datetime: Type.Optional(Type.String({ format: 'date-time', description: 'Acquisition time, when the file does not carry one (RFC 3339)' })),
  overwrite: Type.Boolean({ default: false, description: 'Replace an existing item with the same id' }),
  collection_must_exist: Type.Boolean({ default: false, description: 'Fail instead of creating the collection when it does not exist' }),
  output_container: Type.String({ pattern: '^silver-[a-z0-9-]{1,56}$', default: DEFAULT_OUTPUT_CONTAINER, description: 'silver-zone container the COGs are written to' }),
  access_level: Type.Enum(['public', 'ouo'], { default: 'ouo', description: 'Classification of the STAC items' }),
  served: Type.Boolean({ default: true, description: 'Publish the STAC items at once (false: they wait for an approval)' }),
};

export const processRasterParameters = Type.Object(
  {
    container_name: container,
    blob_name: Type.String({ minLength: 1, maxLength: 1024, description: 'Key of the GeoTIFF in the container' }),
    collection_id: collectionId,
    item_id: Type.Optional(Type.String({ pattern: ITEM_ID, description: 'STAC item id (default: from the file name)' })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    ...conversionOptions,
  },
  { additionalProperties: false },
);
export type ProcessRasterParameters = Static<typeof processRasterParameters>;

export const processRasterCollectionParameters = Type.Object(
  {
    container_name: container,
    blob_names: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { minItems: 1, maxItems: 10_000, uniqueItems: true, description: 'The GeoTIFFs, one task each' })),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Or: every .tif/.tiff under this key prefix' })),
    collection_id: Type.String({ pattern: COLLECTION_ID, description: 'STAC collection the rasters join' }),
    item_id_prefix: Type.Optional(Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,99}$',
      description: 'Prefix of every item id (`{prefix}-{file}`); the mosaic then covers exactly these items, so versions of a collection coexist',
    })),
    ...conversionOptions,
  },
  { additionalProperties: false },
);
export type ProcessRasterCollectionParameters = Static<typeof processRasterCollectionParameters>;

export const unpublishRasterParameters = Type.Object(
  {
    collection_id: Type.String({ pattern: COLLECTION_ID }),
    item_id: Type.Optional(Type.String({ pattern: ITEM_ID, description: 'One raster: this item and the other tiers made from its source file' })),
    item_ids: Type.Optional(Type.Array(Type.String({ pattern: ITEM_ID }), {
      minItems: 1, maxItems: 10_000, uniqueItems: true,
      description: 'Or: exactly these items (every file of a raster collection, every tier of a raster); give item_id or item_ids',
    })),
    dry_run: Type.Boolean({ default: false, description: 'Only list what would be deleted' }),
  },
  { additionalProperties: false },
);
export type UnpublishRasterParameters = Static<typeof unpublishRasterParameters>;

/** The tiers an `output_tier` asks for, most useful first (the first gets the plain item id). */
export function requestedTiers(outputTier: OutputTier): Tier[] {
  return outputTier === 'all' ? ['analysis', 'visualization', 'archive'] : [outputTier];
}
