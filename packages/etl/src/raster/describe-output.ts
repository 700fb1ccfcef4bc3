/**
 * From a converted COG to what gets published: GDAL's COG validation (nothing is published unless it
 * passes), its RasterMetadata (read from the COG itself), its thumbnail and its STAC item. Statistics
 * come from the source when the COG holds the same pixels (lossless tiers without reprojection); a JPEG
 * or reprojected COG gets its own statistics pass. This runs while the COG uploads.
 */
import { rm } from 'node:fs/promises';
import { MeridianError } from '@meridian/core';
import type { BlobRef } from '@meridian/storage';
import { validateCog, type CogValidation } from './cog-validator.ts';
import type { ConvertedCog } from './convert.ts';
import { wgs84Outline } from './footprint.ts';
import { gdalInfo, type GdalInfo } from './gdal-info.ts';
import { describeBands, describeCog, maskKind, type DatetimeSource, type RasterMetadata, type RasterSource } from './raster-metadata.ts';
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

/** An invalid COG is deleted, so that a retry converts it again instead of reusing it. */
async function validated(path: string, signal: AbortSignal): Promise<CogValidation> {
  try {
    return await validateCog(path, signal);
  } catch (error) {
    if (error instanceof MeridianError && error.code === 'COG_VALIDATION_FAILED') await rm(path, { force: true });
    throw error;
  }
}

/** The COG's own description and statistics, and its thumbnail (drawn from them). */
async function readAndPreview(input: DescribeInput): Promise<{ info: GdalInfo; statistics: BandStatistics[]; thumbnailPath: string }> {
  const { cog, signal } = input;
  const info = await gdalInfo(cog.path, { signal });
  const statistics = input.samePixels ? input.sourceStatistics : await bandStatistics(cog.path, input.source.blobName, signal);
  const thumbnailPath = input.work.file(`${cog.tier}.thumbnail.png`);
  const preview = { bands: describeBands(info, statistics), mask: maskKind(info), width: cog.width, height: cog.height };
  await writeThumbnail(cog.path, thumbnailPath, preview, RASTER_TYPE_PROFILES[input.rasterType].imagery, signal);
  return { info, statistics, thumbnailPath };
}

/** Metadata and thumbnail; the WGS84 outline needs only the size, so it is computed beside the rest. */
async function describeFile(input: DescribeInput): Promise<{ metadata: RasterMetadata; thumbnailPath: string }> {
  const { cog } = input;
  const [outline, { info, statistics, thumbnailPath }] = await Promise.all([wgs84Outline(cog.path, cog.width, cog.height, input.signal), readAndPreview(input)]);
  const metadata = describeCog(info, {
    collectionId: input.collectionId,
    itemId: input.itemId,
    tier: cog.tier,
    rasterType: input.rasterType,
    container: input.cogRef.container,
    blobPath: input.cogRef.key,
    sizeBytes: cog.size,
    statistics,
    outline,
    datetime: input.datetime,
    datetimeSource: input.datetimeSource,
    source: input.source,
    jobId: input.jobId,
  });
  return { metadata, thumbnailPath };
}

export async function describeOutput(input: DescribeInput): Promise<OutputToPublish> {
  const [validation, { metadata, thumbnailPath }] = await Promise.all([validated(input.cog.path, input.signal), describeFile(input)]);
  const item = rasterItem({ metadata, title: input.title, thumbnailKey: input.thumbnailRef.key, publicUrl: input.publicUrl, now: new Date().toISOString() });
  return {
    metadata,
    validatorWarnings: validation.warnings,
    item,
    cog: { ref: input.cogRef, path: input.cog.path, contentType: COG_MEDIA_TYPE },
    thumbnail: { ref: input.thumbnailRef, path: thumbnailPath, contentType: THUMBNAIL_MEDIA_TYPE },
  };
}
