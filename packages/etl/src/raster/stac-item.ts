/**
 * The STAC item of one COG, built from its RasterMetadata: projection (v2), raster and file extensions on
 * every item, eo for imagery; the COG as the data (or visual) asset, a PNG thumbnail, and links to the
 * raster API's TileJSON and preview of the item. The collection document a first item creates is here too.
 */
import { EXTENSION_URIS, storageHref, type StacCollection, type StacItem } from '@meridian/stac';
import { nodataToJson } from './metadata-repository.ts';
import { DEFAULT_RASTER_COLLECTION } from './parameters.ts';
import type { RasterMetadata } from './raster-metadata.ts';
import { RASTER_TYPE_PROFILES } from './raster-type.ts';
import { THUMBNAIL_MEDIA_TYPE } from './thumbnail.ts';

export const COG_MEDIA_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized';
export const STAC_VERSION = '1.0.0';

const STAC_DATA_TYPES: Record<string, string> = {
  Byte: 'uint8', Int8: 'int8', UInt16: 'uint16', Int16: 'int16', UInt32: 'uint32', Int32: 'int32', Float32: 'float32', Float64: 'float64',
};
const COMMON_NAMES: Record<string, string> = { Red: 'red', Green: 'green', Blue: 'blue' };

export interface RasterItemInput {
  metadata: RasterMetadata;
  title: string;
  thumbnailKey: string;
  publicUrl: string;
  /** When the item was written (STAC `created` / `updated`). */
  now: string;
}

/** The raster API's URLs for an item (the tile service reads the same COG). */
export function rasterApiUrls(publicUrl: string, collectionId: string, itemId: string): { tilejson: string; preview: string } {
  const base = `${publicUrl.replace(/\/+$/, '')}/api/raster/collections/${encodeURIComponent(collectionId)}/items/${encodeURIComponent(itemId)}`;
  return { tilejson: `${base}/tilejson.json`, preview: `${base}/preview` };
}

function rasterBands(m: RasterMetadata): Record<string, unknown>[] {
  return m.bands.map((b) => {
    const band: Record<string, unknown> = { data_type: STAC_DATA_TYPES[b.dataType] ?? 'other', spatial_resolution: m.resolution[0], sampling: 'area' };
    const nodata = nodataToJson(b.nodata);
    if (nodata !== null) band.nodata = nodata;
    if (b.unit) band.unit = b.unit;
    if (b.scale !== null) band.scale = b.scale;
    if (b.offset !== null) band.offset = b.offset;
    const s = b.statistics;
    if (s) {
      band.statistics = { minimum: s.minimum, maximum: s.maximum, mean: s.mean, stddev: s.stddev, valid_percent: s.validPercent };
      if (s.histogram) band.histogram = s.histogram;
    }
    return band;
  });
}

function eoBands(m: RasterMetadata): Record<string, unknown>[] {
  return m.bands.map((b) => {
    const common = COMMON_NAMES[b.colorInterpretation] ?? (m.rasterType === 'nir' && b.index === 4 ? 'nir' : undefined);
    return { name: b.name, ...(common ? { common_name: common } : {}), ...(b.description ? { description: b.description } : {}) };
  });
}

export function rasterItem(input: RasterItemInput): StacItem {
  const { metadata: m, publicUrl } = input;
  const imagery = RASTER_TYPE_PROFILES[m.rasterType].imagery;
  const urls = rasterApiUrls(publicUrl, m.collectionId, m.itemId);
  const data: Record<string, unknown> = {
    href: storageHref(publicUrl, m.container, m.blobPath),
    type: COG_MEDIA_TYPE,
    title: `Cloud-Optimized GeoTIFF (${m.tier} tier, ${m.compression})`,
    roles: m.tier === 'visualization' ? ['visual'] : ['data'],
    'raster:bands': rasterBands(m),
    'file:size': m.sizeBytes,
  };
  if (imagery) data['eo:bands'] = eoBands(m);
  return {
    type: 'Feature',
    stac_version: STAC_VERSION,
    stac_extensions: [EXTENSION_URIS.projection, EXTENSION_URIS.raster, EXTENSION_URIS.file, ...(imagery ? [EXTENSION_URIS.eo] : [])],
    id: m.itemId,
    collection: m.collectionId,
    geometry: { type: 'Polygon', coordinates: [m.footprintWgs84] },
    bbox: m.bboxWgs84,
    properties: {
      title: input.title,
      datetime: m.datetime,
      created: input.now,
      updated: input.now,
      'proj:code': m.crs.epsg === null ? null : `EPSG:${m.crs.epsg}`,
      'proj:wkt2': m.crs.wkt2,
      'proj:bbox': m.bboxNative,
      'proj:shape': [m.height, m.width],
      // rasterio's affine order (a, b, c, d, e, f), which the projection extension uses, from GDAL's.
      'proj:transform': [m.geoTransform[1], m.geoTransform[2], m.geoTransform[0], m.geoTransform[4], m.geoTransform[5], m.geoTransform[3]],
      'meridian:raster_type': m.rasterType,
      'meridian:tier': m.tier,
      'meridian:datetime_source': m.datetimeSource,
      'meridian:source': `${m.source.container}/${m.source.blobName}`,
    },
    assets: {
      data,
      thumbnail: { href: storageHref(publicUrl, m.container, input.thumbnailKey), type: THUMBNAIL_MEDIA_TYPE, title: 'Thumbnail', roles: ['thumbnail'] },
    },
    links: [
      { rel: 'tilejson', href: urls.tilejson, type: 'application/json', title: 'TileJSON of this raster (raster tile API)' },
      { rel: 'preview', href: urls.preview, type: 'image/png', title: 'Preview image (raster tile API)' },
    ],
  };
}

/** A new collection, its extent set to its first item (item writes widen it from there). */
export function rasterCollection(id: string, first: RasterMetadata): StacCollection {
  return {
    type: 'Collection',
    stac_version: STAC_VERSION,
    id,
    title: id === DEFAULT_RASTER_COLLECTION ? 'Rasters' : id,
    description: id === DEFAULT_RASTER_COLLECTION ? 'Rasters processed by Meridian without a collection of their own.' : `Rasters of collection ${id}, processed by Meridian.`,
    license: 'proprietary',
    keywords: ['raster', 'cog'],
    extent: { spatial: { bbox: [first.bboxWgs84] }, temporal: { interval: [[first.datetime, first.datetime]] } },
    links: [],
  };
}
