/**
 * The repository of app.raster_metadata: the only SQL over that table. Rows map to RasterMetadata in
 * both directions here, so no caller ever sees a raw row.
 */
import type { Queryable } from '@meridian/db';
import type { RasterBandMetadata, RasterMetadata } from './raster-metadata.ts';
import type { BandStatistics } from './statistics.ts';

/** JSON has no NaN or infinities; the STAC raster extension spells them "nan", "inf", "-inf". */
export type JsonNodata = number | 'nan' | 'inf' | '-inf' | null;

export function nodataToJson(value: number | null): JsonNodata {
  if (value === null) return null;
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return value;
}

function nodataFromJson(value: JsonNodata): number | null {
  if (value === null) return null;
  if (value === 'nan') return NaN;
  if (value === 'inf') return Infinity;
  if (value === '-inf') return -Infinity;
  return value;
}

interface StoredBand {
  index: number;
  name: string;
  description: string;
  data_type: string;
  color_interpretation: string;
  nodata: JsonNodata;
  unit: string | null;
  scale: number | null;
  offset: number | null;
  statistics: { minimum: number; maximum: number; mean: number; stddev: number; valid_percent: number; histogram: BandStatistics['histogram'] } | null;
}

function storedBand(b: RasterBandMetadata): StoredBand {
  const s = b.statistics;
  return {
    index: b.index, name: b.name, description: b.description, data_type: b.dataType, color_interpretation: b.colorInterpretation,
    nodata: nodataToJson(b.nodata), unit: b.unit, scale: b.scale, offset: b.offset,
    statistics: s && { minimum: s.minimum, maximum: s.maximum, mean: s.mean, stddev: s.stddev, valid_percent: s.validPercent, histogram: s.histogram },
  };
}

function bandOf(b: StoredBand): RasterBandMetadata {
  const s = b.statistics;
  return {
    index: b.index, name: b.name, description: b.description, dataType: b.data_type, colorInterpretation: b.color_interpretation,
    nodata: nodataFromJson(b.nodata), unit: b.unit, scale: b.scale, offset: b.offset,
    statistics: s && { minimum: s.minimum, maximum: s.maximum, mean: s.mean, stddev: s.stddev, validPercent: s.valid_percent, histogram: s.histogram },
  };
}

interface MetadataRow {
  collection_id: string;
  item_id: string;
  tier: RasterMetadata['tier'];
  raster_type: RasterMetadata['rasterType'];
  container: string;
  blob_path: string;
  size_bytes: number;
  width: number;
  height: number;
  band_count: number;
  data_type: string;
  bands: StoredBand[];
  epsg: number | null;
  crs_wkt2: string;
  crs_projjson: Record<string, unknown> | null;
  geotransform: number[];
  resolution: number[];
  bbox_native: number[];
  bbox_wgs84: number[];
  footprint: { coordinates: [number, number][][] };
  overviews: { width: number; height: number }[];
  compression: string;
  predictor: number | null;
  block_width: number;
  block_height: number;
  interleave: string;
  mask: RasterMetadata['mask'];
  datetime: Date;
  datetime_source: RasterMetadata['datetimeSource'];
  source_container: string;
  source_blob: string;
  source_size_bytes: number;
  source_etag: string;
  job_id: string | null;
}

const COLUMNS = `collection_id, item_id, tier, raster_type, container, blob_path, size_bytes, width, height, band_count, data_type,
  bands, epsg, crs_wkt2, crs_projjson, geotransform, resolution, bbox_native, bbox_wgs84, ST_AsGeoJSON(footprint)::jsonb AS footprint,
  overviews, compression, predictor, block_width, block_height, interleave, mask, datetime, datetime_source,
  source_container, source_blob, source_size_bytes, source_etag, job_id`;

function fromRow(r: MetadataRow): RasterMetadata {
  return {
    collectionId: r.collection_id, itemId: r.item_id, tier: r.tier, rasterType: r.raster_type,
    container: r.container, blobPath: r.blob_path, sizeBytes: r.size_bytes,
    width: r.width, height: r.height, bandCount: r.band_count, dataType: r.data_type, bands: r.bands.map(bandOf),
    crs: { epsg: r.epsg, wkt2: r.crs_wkt2, projjson: r.crs_projjson },
    geoTransform: r.geotransform as RasterMetadata['geoTransform'],
    resolution: r.resolution as [number, number],
    bboxNative: r.bbox_native as RasterMetadata['bboxNative'],
    bboxWgs84: r.bbox_wgs84 as RasterMetadata['bboxWgs84'],
    footprintWgs84: r.footprint.coordinates[0]!,
    overviews: r.overviews, compression: r.compression, predictor: r.predictor,
    blockSize: [r.block_width, r.block_height], interleave: r.interleave, mask: r.mask,
    datetime: r.datetime.toISOString(), datetimeSource: r.datetime_source,
    source: { container: r.source_container, blobName: r.source_blob, sizeBytes: r.source_size_bytes, etag: r.source_etag },
    jobId: r.job_id,
  };
}

/** Writes the row of a COG, replacing the row of the same item (a re-run or an overwrite). */
export async function upsertRasterMetadata(db: Queryable, m: RasterMetadata): Promise<void> {
  const footprint = JSON.stringify({ type: 'Polygon', coordinates: [m.footprintWgs84] });
  await db.query(
    `INSERT INTO app.raster_metadata (collection_id, item_id, tier, raster_type, container, blob_path, size_bytes, width, height,
       band_count, data_type, bands, epsg, crs_wkt2, crs_projjson, geotransform, resolution, bbox_native, bbox_wgs84, footprint,
       overviews, compression, predictor, block_width, block_height, interleave, mask, datetime, datetime_source,
       source_container, source_blob, source_size_bytes, source_etag, job_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15::jsonb, $16, $17, $18, $19,
       ST_SetSRID(ST_GeomFromGeoJSON($20), 4326), $21::jsonb, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)
     ON CONFLICT (collection_id, item_id) DO UPDATE SET tier = EXCLUDED.tier, raster_type = EXCLUDED.raster_type,
       container = EXCLUDED.container, blob_path = EXCLUDED.blob_path, size_bytes = EXCLUDED.size_bytes, width = EXCLUDED.width,
       height = EXCLUDED.height, band_count = EXCLUDED.band_count, data_type = EXCLUDED.data_type, bands = EXCLUDED.bands,
       epsg = EXCLUDED.epsg, crs_wkt2 = EXCLUDED.crs_wkt2, crs_projjson = EXCLUDED.crs_projjson, geotransform = EXCLUDED.geotransform,
       resolution = EXCLUDED.resolution, bbox_native = EXCLUDED.bbox_native, bbox_wgs84 = EXCLUDED.bbox_wgs84,
       footprint = EXCLUDED.footprint, overviews = EXCLUDED.overviews, compression = EXCLUDED.compression,
       predictor = EXCLUDED.predictor, block_width = EXCLUDED.block_width, block_height = EXCLUDED.block_height,
       interleave = EXCLUDED.interleave, mask = EXCLUDED.mask, datetime = EXCLUDED.datetime,
       datetime_source = EXCLUDED.datetime_source, source_container = EXCLUDED.source_container,
       source_blob = EXCLUDED.source_blob, source_size_bytes = EXCLUDED.source_size_bytes,
       source_etag = EXCLUDED.source_etag, job_id = EXCLUDED.job_id`,
    [
      m.collectionId, m.itemId, m.tier, m.rasterType, m.container, m.blobPath, m.sizeBytes, m.width, m.height,
      m.bandCount, m.dataType, JSON.stringify(m.bands.map(storedBand)), m.crs.epsg, m.crs.wkt2,
      m.crs.projjson === null ? null : JSON.stringify(m.crs.projjson), m.geoTransform, m.resolution, m.bboxNative, m.bboxWgs84,
      footprint, JSON.stringify(m.overviews), m.compression, m.predictor, m.blockSize[0], m.blockSize[1], m.interleave, m.mask,
      m.datetime, m.datetimeSource, m.source.container, m.source.blobName, m.source.sizeBytes, m.source.etag, m.jobId,
    ],
  );
}

export async function getRasterMetadata(db: Queryable, collectionId: string, itemId: string): Promise<RasterMetadata | undefined> {
  const { rows } = await db.query<MetadataRow>(`SELECT ${COLUMNS} FROM app.raster_metadata WHERE collection_id = $1 AND item_id = $2`, [collectionId, itemId]);
  return rows[0] && fromRow(rows[0]);
}

/** Several COGs at once (a mosaic's items), in no particular order; ids without a row are left out. */
export async function getRasterMetadataMany(db: Queryable, items: readonly { collectionId: string; itemId: string }[]): Promise<RasterMetadata[]> {
  if (items.length === 0) return [];
  const { rows } = await db.query<MetadataRow>(
    `SELECT ${COLUMNS} FROM app.raster_metadata
      WHERE (collection_id, item_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [items.map((i) => i.collectionId), items.map((i) => i.itemId)],
  );
  return rows.map(fromRow);
}

/** The COGs of a collection, in item order. */
export async function listRasterMetadata(db: Queryable, collectionId: string): Promise<RasterMetadata[]> {
  const { rows } = await db.query<MetadataRow>(`SELECT ${COLUMNS} FROM app.raster_metadata WHERE collection_id = $1 ORDER BY item_id`, [collectionId]);
  return rows.map(fromRow);
}

/** True when a row was deleted. */
export async function deleteRasterMetadata(db: Queryable, collectionId: string, itemId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM app.raster_metadata WHERE collection_id = $1 AND item_id = $2', [collectionId, itemId]);
  return rowCount > 0;
}
