import type { ReleaseOutputs } from './release-store.ts';

/**
 * What a finished ETL job reports about its outputs, folded into the release's outputs: the COG path of a
 * raster (and every COG and thumbnail of its tiers or files), every STAC item a raster job made (one per tier, one per file of a collection), the mosaic
 * search of a collection, the tables of a vector load split by geometry type and its split views. Absent
 * facts keep the names the platform derived at submission.
 */
export function withJobOutputs(outputs: ReleaseOutputs, result: unknown): ReleaseOutputs {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return outputs;
  const r = result as Record<string, unknown>;
  const strings = (value: unknown): string[] | null => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null);
  const files = (Array.isArray(r.outputs) ? (r.outputs as unknown[]) : []).filter((f): f is Record<string, unknown> => f !== null && typeof f === 'object');
  const first = files[0];
  const blobPaths = files.flatMap((f) => (typeof f.container === 'string' ? [f.blob_path, f.thumbnail_path].filter((k) => typeof k === 'string').map((k) => `${f.container as string}/${k as string}`) : []));
  const itemIds = strings(r.item_ids);
  const tables = strings(r.table_names);
  const views = strings(r.views);
  return {
    ...outputs,
    ...(typeof r.stac_item_id === 'string' ? { stac_item_id: r.stac_item_id } : {}),
    ...(itemIds ? { stac_item_ids: itemIds } : {}),
    ...(typeof r.search_id === 'string' ? { search_id: r.search_id } : {}),
    ...(first && typeof first.container === 'string' && typeof first.blob_path === 'string' ? { blob_path: `${first.container}/${first.blob_path}` } : {}),
    ...(blobPaths.length ? { blob_paths: blobPaths } : {}),
    ...(tables ? { table_names: tables } : {}),
    ...(views?.length ? { views } : {}),
  };
}
