/**
 * From a converted COG to what gets published: its RasterMetadata (read from the COG itself), its
 * thumbnail and its STAC item. Statistics come from the source when the COG holds the same pixels
 * (lossless tiers without reprojection); a JPEG or reprojected COG gets its own statistics pass.
 */
import type { BlobRef } from '@meridian/storage';
import type { ConvertedCog } from './convert.ts';
import { footprintOf } from './footprint.ts';
import { gdalInfo } from './gdal-info.ts';
import { describeBands, describeCog, maskKind, type DatetimeSource, type RasterSource } from './raster-metadata.ts';
import { RASTER_TYPE_PROFILES } from './raster-type.ts';
import type { OutputToPublish } from './publish.ts';
import { rasterItem, COG_MEDIA_TYPE } from './stac-item.ts';
import { bandStatistics, type BandStatistics } from './statistics.ts';
import { THUMBNAIL_MEDIA_TYPE, writeThumbnail } from './thumbnail.ts';
import type { RasterType } from './parameters.ts';
import type { WorkDir } from './work-dir.ts';

export interface DescribeInput {
  cog: ConvertedCog;
  collectionId: string;
  itemId: string;
  title: string;
  rasterType: RasterType;
  cogRef: BlobRef;
  thumbnailRef: BlobRef;
  /** Statistics of the source, valid for the COG when `samePixels`. */
  sourceStatistics: BandStatistics[];
  samePixels: boolean;
  datetime: string;
  datetimeSource: DatetimeSource;
  source: RasterSource;
  jobId: string;
  publicUrl: string;
  work: WorkDir;
  signal: AbortSignal;
}

export async function describeOutput(input: DescribeInput): Promise<OutputToPublish> {
  const { cog, signal } = input;
  const info = await gdalInfo(cog.path, { signal });
  const [width, height] = info.size;
  const statistics = input.samePixels ? input.sourceStatistics : await bandStatistics(cog.path, input.source.blobName, signal);
  // The thumbnail needs only the bands and their statistics: it is drawn while the footprint is computed.
  const thumbnailPath = input.work.file(`${cog.tier}.thumbnail.png`);
  const preview = { bands: describeBands(info, statistics), mask: maskKind(info), width, height };
  const [footprint] = await Promise.all([
    footprintOf(cog.path, width, height, info.geoTransform!, signal),
    writeThumbnail(cog.path, thumbnailPath, preview, RASTER_TYPE_PROFILES[input.rasterType].imagery, signal),
  ]);
  const metadata = describeCog(info, {
    collectionId: input.collectionId,
    itemId: input.itemId,
    tier: cog.tier,
    rasterType: input.rasterType,
    container: input.cogRef.container,
    blobPath: input.cogRef.key,
    sizeBytes: cog.size,
    statistics,
    footprint,
    datetime: input.datetime,
    datetimeSource: input.datetimeSource,
    source: input.source,
    jobId: input.jobId,
  });
  const item = rasterItem({ metadata, title: input.title, thumbnailKey: input.thumbnailRef.key, publicUrl: input.publicUrl, now: new Date().toISOString() });
  return {
    metadata,
    item,
    cog: { ref: input.cogRef, path: cog.path, contentType: COG_MEDIA_TYPE },
    thumbnail: { ref: input.thumbnailRef, path: thumbnailPath, contentType: THUMBNAIL_MEDIA_TYPE },
  };
}
