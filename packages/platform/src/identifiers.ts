import { createHash } from 'node:crypto';
import { kebabSlug, postgresSlug } from '@meridian/core';

/** The contract's derived identifiers ("Identifiers"): deterministic, lower-case hex. */
function hex32(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** First 32 hex of SHA-256 of `dataset_id|resource_id|version_id` (or without the version when none). */
export function requestId(datasetId: string, resourceId: string, versionId: string | null): string {
  return hex32(versionId === null ? `${datasetId}|${resourceId}` : `${datasetId}|${resourceId}|${versionId}`);
}

/** First 32 hex of SHA-256 of `{client_id}|dataset_id|resource_id`; the client is `ddh` by default. */
export function assetId(clientId: string, datasetId: string, resourceId: string): string {
  return hex32(`${clientId}|${datasetId}|${resourceId}`);
}

/** Releases are numbered per asset, so (asset, ordinal) names one for good. */
export function releaseId(asset: string, ordinal: number): string {
  return hex32(`release|${asset}|${ordinal}`);
}

/** The version part of derived names: the version_id if given, else `ord{N}`. */
export function versionSegment(versionId: string | null, ordinal: number): string {
  return versionId ?? `ord${ordinal}`;
}

export interface NameParts {
  datasetId: string;
  resourceId: string;
  versionId: string | null;
  ordinal: number;
}

/** The vector table in schema geo: postgres-slug of `{dataset_id}_{resource_id}_{version}`. */
export function tableName(parts: NameParts): string {
  return postgresSlug(`${parts.datasetId}_${parts.resourceId}_${versionSegment(parts.versionId, parts.ordinal)}`);
}

/** The STAC item id: the same parts slugged with `-`. */
export function stacItemId(parts: NameParts): string {
  return kebabSlug(`${parts.datasetId}-${parts.resourceId}-${versionSegment(parts.versionId, parts.ordinal)}`);
}

/** A raster's STAC collection: `processing_options.collection_id` if given, else slug of `{dataset}-{resource}`. */
export function rasterCollectionId(datasetId: string, resourceId: string, given: string | null): string {
  return given ?? kebabSlug(`${datasetId}-${resourceId}`);
}
