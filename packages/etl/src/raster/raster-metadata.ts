/**
 * RasterMetadata: everything known about one published COG, typed end to end (the seeds' F7.21 — no
 * untyped dictionaries between stages). The ETL builds it from the COG itself (`gdalinfo -json`), the
 * statistics pass and the footprint; it is stored in app.raster_metadata and read back by the raster
 * tile API, which needs no other source to open, describe and render the COG.
 */
import type { GdalInfo } from './gdal-info.ts';
import { nodataOf } from './gdal-info.ts';
import { nativeBbox, type Box, type GeoTransform, type Wgs84Outline } from './footprint.ts';
import type { RasterType, Tier } from './parameters.ts';
import type { BandStatistics } from './statistics.ts';

export interface RasterBandMetadata {
  /** 1-based, as GDAL numbers bands. */
  index: number;
  /** The band's description when it has one, else `b{index}`. */
  name: string;
  description: string;
  /** GDAL's type name: Byte, UInt16, Int16, UInt32, Int32, Float32, Float64 … */
  dataType: string;
  colorInterpretation: string;
  /** NaN and ±Infinity are possible nodata values. */
  nodata: number | null;
  unit: string | null;
  scale: number | null;
  offset: number | null;
  statistics: BandStatistics | null;
}

export interface RasterCrs {
  epsg: number | null;
  wkt2: string;
  projjson: Record<string, unknown> | null;
}

export type DatetimeSource = 'submission' | 'file' | 'ingest';

export interface RasterSource {
  container: string;
  blobName: string;
  sizeBytes: number;
  etag: string;
}

export interface RasterMetadata {
  collectionId: string;
  itemId: string;
  tier: Tier;
  rasterType: RasterType;
  /** Where the COG is, in the silver zone. */
  container: string;
  blobPath: string;
  sizeBytes: number;
  width: number;
  height: number;
  bandCount: number;
  dataType: string;
  bands: RasterBandMetadata[];
  crs: RasterCrs;
  geoTransform: GeoTransform;
  /** Pixel size [x, y] in CRS units, both positive. */
  resolution: [number, number];
  bboxNative: Box;
  bboxWgs84: Box;
  footprintWgs84: [number, number][];
  /** Internal overviews, largest first. */
  overviews: { width: number; height: number }[];
  /** GDAL's name: DEFLATE, LZW, JPEG, YCbCr JPEG. */
  compression: string;
  predictor: number | null;
  blockSize: [number, number];
  interleave: string;
  /** Set when the COG has a per-dataset mask (JPEG with transparency) or an alpha band. */
  mask: 'none' | 'nodata' | 'alpha' | 'mask';
  datetime: string;
  datetimeSource: DatetimeSource;
  source: RasterSource;
  jobId: string | null;
}

/** Everything about a COG that is not read from the COG itself. */
export interface CogContext {
  collectionId: string;
  itemId: string;
  tier: Tier;
  rasterType: RasterType;
  container: string;
  blobPath: string;
  sizeBytes: number;
  statistics: BandStatistics[];
  outline: Wgs84Outline;
  datetime: string;
  datetimeSource: DatetimeSource;
  source: RasterSource;
  jobId: string | null;
}

export function maskKind(info: GdalInfo): RasterMetadata['mask'] {
  if (info.bands.some((b) => b.colorInterpretation === 'Alpha')) return 'alpha';
  if (info.bands.some((b) => b.noDataValue !== undefined)) return 'nodata';
  return info.bands[0]?.mask?.flags.includes('PER_DATASET') ? 'mask' : 'none';
}

export function describeBands(info: GdalInfo, statistics: readonly BandStatistics[]): RasterBandMetadata[] {
  return info.bands.map((band, i) => ({
    index: band.band,
    name: band.description || `b${band.band}`,
    description: band.description ?? '',
    dataType: band.type,
    colorInterpretation: band.colorInterpretation ?? 'Undefined',
    nodata: nodataOf(band),
    unit: band.unit || null,
    scale: band.scale ?? null,
    offset: band.offset ?? null,
    statistics: statistics[i] ?? null,
  }));
}

export function describeCog(info: GdalInfo, context: CogContext): RasterMetadata {
  const structure = info.metadata?.IMAGE_STRUCTURE ?? {};
  const geoTransform = info.geoTransform!;
  const first = info.bands[0]!;
  return {
    collectionId: context.collectionId,
    itemId: context.itemId,
    tier: context.tier,
    rasterType: context.rasterType,
    container: context.container,
    blobPath: context.blobPath,
    sizeBytes: context.sizeBytes,
    width: info.size[0],
    height: info.size[1],
    bandCount: info.bands.length,
    dataType: first.type,
    bands: describeBands(info, context.statistics),
    crs: {
      epsg: info.stac?.['proj:epsg'] ?? null,
      wkt2: info.coordinateSystem?.wkt ?? '',
      projjson: info.stac?.['proj:projjson'] ?? null,
    },
    geoTransform,
    resolution: [Math.hypot(geoTransform[1], geoTransform[4]), Math.hypot(geoTransform[2], geoTransform[5])],
    bboxNative: nativeBbox(geoTransform, info.size[0], info.size[1]),
    bboxWgs84: context.outline.bbox,
    footprintWgs84: context.outline.polygon,
    overviews: (first.overviews ?? []).map((o) => ({ width: o.size[0], height: o.size[1] })),
    compression: structure.COMPRESSION ?? 'NONE',
    predictor: structure.PREDICTOR ? Number(structure.PREDICTOR) : null,
    blockSize: first.block,
    interleave: structure.INTERLEAVE ?? 'PIXEL',
    mask: maskKind(info),
    datetime: context.datetime,
    datetimeSource: context.datetimeSource,
    source: context.source,
    jobId: context.jobId,
  };
}
