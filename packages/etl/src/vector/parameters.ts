/**
 * The parameters of the vector job types, as the jobs API validates them (TypeBox, defaults filled in
 * before the job id is derived). The names follow the platform contract's processing_options for vector
 * data; `dataset_id`/`resource_id`/`version_id` name the STAC item by the contract when a platform gives them.
 */
import { Type, type Static } from 'typebox';
import { MeridianError, kebabSlug, postgresSlug } from '@meridian/core';

export const DEFAULT_VECTOR_COLLECTION = 'system-vectors';

const CONTAINER = '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$';
const COLLECTION_ID = '^[a-z0-9][a-z0-9-]{0,62}$';
const IDENTIFIER = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
const EPSG = '^EPSG:[0-9]{4,6}$';
const column = (description: string) => Type.String({ minLength: 1, maxLength: 255, description });

export const processVectorParameters = Type.Object(
  {
    container_name: Type.String({ pattern: CONTAINER, description: 'Container holding the input file, e.g. bronze-uploads' }),
    blob_name: Type.String({ minLength: 1, maxLength: 1024, description: 'Key of the file: .geojson, .json, .geojsonl, .shp, .zip, .gpkg, .kml, .kmz, .csv, .fgb, .parquet' }),
    table_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Table in schema geo and OGC collection id, slugged (default: from the file name)' })),
    layer_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Layer of a multi-layer file (GeoPackage, KML, zip of shapefiles)' })),
    lat_column: Type.Optional(column('CSV: the latitude column')),
    lon_column: Type.Optional(column('CSV: the longitude column')),
    wkt_column: Type.Optional(column('CSV: the column holding WKT geometries')),
    crs: Type.Optional(Type.String({ pattern: EPSG, description: 'CRS of an input that declares none (default for CSV: EPSG:4326)' })),
    overwrite: Type.Boolean({ default: false, description: 'Replace an existing table of this name (built beside it, swapped in one transaction)' }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    description: Type.String({ maxLength: 10_000, default: '' }),
    create_stac: Type.Boolean({ default: true, description: 'Create a STAC item for the table' }),
    collection_id: Type.String({ pattern: COLLECTION_ID, default: DEFAULT_VECTOR_COLLECTION, description: 'STAC collection of the item' }),
    indexes: Type.Optional(
      Type.Object(
        {
          spatial: Type.Boolean({ default: true, description: 'GiST index on the geometry' }),
          temporal: Type.Array(column('column'), { default: [], maxItems: 20, description: 'Date/time columns to index' }),
          attributes: Type.Array(column('column'), { default: [], maxItems: 50, description: 'Attribute columns to index (B-tree)' }),
        },
        { additionalProperties: false },
      ),
    ),
    temporal_property: Type.Optional(column('Date or timestamp column the OGC datetime parameter filters on')),
    split_column: Type.Optional(column('Column with at most 20 distinct values: one view per value')),
    access_level: Type.Union([Type.Literal('public'), Type.Literal('ouo')], { default: 'ouo', description: 'Classification of the table and its STAC item' }),
    served: Type.Boolean({ default: true, description: 'Publish at once (false: the table waits for an approval)' }),
    dataset_id: Type.Optional(Type.String({ pattern: IDENTIFIER, maxLength: 255, description: 'Platform dataset id (names the STAC item)' })),
    resource_id: Type.Optional(Type.String({ pattern: IDENTIFIER, maxLength: 255, description: 'Platform resource id (names the STAC item)' })),
    version_id: Type.Optional(Type.String({ pattern: IDENTIFIER, maxLength: 50, description: 'Platform version segment (names the STAC item)' })),
  },
  { additionalProperties: false },
);
export type ProcessVectorParameters = Static<typeof processVectorParameters>;

export const unpublishVectorParameters = Type.Object(
  {
    table_name: Type.String({ minLength: 1, maxLength: 255, description: 'The table as it was loaded (its split tables and views go with it)' }),
    dry_run: Type.Boolean({ default: false, description: 'Only list what would be deleted' }),
  },
  { additionalProperties: false },
);
export type UnpublishVectorParameters = Static<typeof unpublishVectorParameters>;

/** The file name without folders and extension: the default table name. */
function baseName(blobName: string): string {
  const file = blobName.split('/').pop() ?? blobName;
  return file.replace(/\.[^.]*$/, '');
}

/** The table name by the one slug rule; a name with no letters or digits is a parameter error. */
export function targetTableName(parameters: Pick<ProcessVectorParameters, 'table_name' | 'blob_name'>): string {
  const requested = parameters.table_name ?? baseName(parameters.blob_name);
  const slug = postgresSlug(requested);
  if (slug === '') {
    throw new MeridianError('JOB_PARAMETERS_INVALID', `table name "${requested.slice(0, 100)}" has no letters or digits; give table_name`, { parameter: 'table_name' });
  }
  return slug;
}

export function unpublishTableName(parameters: UnpublishVectorParameters): string {
  const slug = postgresSlug(parameters.table_name);
  if (slug === '') throw new MeridianError('JOB_PARAMETERS_INVALID', 'table_name has no letters or digits', { parameter: 'table_name' });
  return slug;
}

/**
 * The STAC item id of a published table: by the platform contract (`{dataset}-{resource}-{version}`
 * slugged with "-") when the platform ids are given, else the table name slugged with "-". A load split
 * by geometry type gives each table its own item, suffixed with the type.
 */
export function stacItemIdFor(parameters: ProcessVectorParameters, tableName: string, family: string | null): string {
  const base = parameters.dataset_id && parameters.resource_id
    ? kebabSlug([parameters.dataset_id, parameters.resource_id, parameters.version_id].filter(Boolean).join('-'))
    : kebabSlug(tableName);
  return family ? `${base}-${family}` : base;
}

/** The platform's identifiers, kept with the revision and in the STAC item's `platform:*` properties. */
export function clientRefs(parameters: ProcessVectorParameters): Record<string, string> {
  const refs: Record<string, string> = {};
  if (parameters.dataset_id) refs.dataset_id = parameters.dataset_id;
  if (parameters.resource_id) refs.resource_id = parameters.resource_id;
  if (parameters.version_id) refs.version_id = parameters.version_id;
  return refs;
}
