import { MeridianError } from '@meridian/core';
import { rasterCollectionId, stacItemId, tableName, versionSegment, type NameParts } from './identifiers.ts';
import type { ReleaseOutputs } from './release-store.ts';
import type { Submission } from './submission.ts';

/** Where published vector tables get their STAC items unless the submission names a collection. */
export const VECTOR_STAC_COLLECTION = 'system-vectors';

export interface JobPlan {
  jobType: 'process_vector' | 'process_raster' | 'process_raster_collection';
  parameters: Record<string, unknown>;
  outputs: ReleaseOutputs;
}

/** Drops absent options so the job's own defaults apply. */
function present(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Translates a validated submission into the parameters of the ETL job that processes it. `overwrite`
 * reaches the job when the release is being revised, so the job replaces its own earlier outputs. The
 * outputs are not served (`served: false`) until a reviewer approves the release.
 */
export function planJob(submission: Submission, names: NameParts, options: { replaceOutputs: boolean }): JobPlan {
  const { options: po } = submission;
  const itemId = stacItemId(names);
  const overwrite = options.replaceOutputs || po.overwrite;
  if (po.kind === 'vector') {
    const table = po.tableName ?? tableName(names);
    const collection = po.collectionId ?? VECTOR_STAC_COLLECTION;
    return {
      jobType: 'process_vector',
      parameters: present({
        container_name: submission.containerName,
        blob_name: submission.files[0],
        table_name: table,
        title: submission.title,
        description: submission.description,
        layer_name: po.layerName,
        lat_column: po.latColumn,
        lon_column: po.lonColumn,
        wkt_column: po.wktColumn,
        temporal_property: po.temporalProperty,
        indexes: po.indexes,
        split_column: po.splitColumn,
        create_stac: po.createStac,
        collection_id: collection,
        overwrite,
        access_level: submission.accessLevel,
        served: false,
        dataset_id: submission.datasetId,
        resource_id: submission.resourceId,
        version_id: versionSegment(names.versionId, names.ordinal),
      }),
      outputs: { stac_item_id: po.createStac ? itemId : null, stac_collection_id: po.createStac ? collection : null, blob_path: null, table_name: table, table_names: [table], schema: 'geo' },
    };
  }
  if (po.kind === 'raster') {
    const collection = rasterCollectionId(submission.datasetId, submission.resourceId, po.collectionId);
    const common = present({
      container_name: submission.containerName,
      collection_id: collection,
      output_tier: po.outputTier,
      raster_type: po.rasterType,
      crs: po.crs,
      overwrite,
      access_level: submission.accessLevel,
      served: false,
    });
    if (submission.isCollection) {
      return {
        jobType: 'process_raster_collection',
        // Each version's items carry its id as a prefix, so v1 and v2 of a collection coexist.
        parameters: { ...common, blob_names: submission.files, item_id_prefix: itemId },
        outputs: { stac_item_id: null, stac_collection_id: collection, blob_path: null, table_name: null, table_names: null, schema: null },
      };
    }
    return {
      jobType: 'process_raster',
      parameters: { ...common, blob_name: submission.files[0], item_id: itemId, ...present({ title: submission.title }) },
      outputs: { stac_item_id: itemId, stac_collection_id: collection, blob_path: null, table_name: null, table_names: null, schema: null },
    };
  }
  throw new MeridianError('NOT_IMPLEMENTED', 'Zarr/NetCDF submissions are not supported yet: there is no zarr processing job in this version', { field: 'file_name' });
}
