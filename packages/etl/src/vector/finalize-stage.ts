/**
 * Stage 3 of process_vector: the geometry rules, indexes and statistics on the staging table(s), the
 * split views' figures, then the swap that publishes everything at once (publish.ts). A retry after the
 * swap committed finds the revision this job published and returns it; a failure caused by the input
 * (a split column with too many values, a name taken meanwhile) drops the staging tables.
 */
import { MeridianError, postgresSlug } from '@meridian/core';
import type { Db } from '@meridian/db';
import type { TaskContext } from '@meridian/orchestrator';
import { applyGeometryRules } from './geometry-rules.ts';
import type { LoadResult } from './load-stage.ts';
import { clientRefs, stacItemIdFor, type ProcessVectorParameters } from './parameters.ts';
import { publishLoad, type TableToPublish } from './publish.ts';
import { abandonsStaging } from './staging-cleanup.ts';
import { dropStagingTables, stagingTableExists } from './staging-tables.ts';
import { indexSpecs, indexStagingTable, objectName, splitValues, tableStats, type IndexRequest, type TemporalColumn } from './table-build.ts';
import { revisionPublishedBy, type RevisionRow } from './vector-revisions.ts';
import { warning, type VectorWarning } from './warnings.ts';

export interface VectorJobResult {
  table_name: string;
  table_names: string[];
  views: string[];
  schema: 'geo';
  revision: number;
  feature_count: number;
  geometry_type: string;
  source_crs: string | null;
  stac_collection_id: string | null;
  stac_item_id: string | null;
  stac_item_ids: string[];
  warnings: VectorWarning[];
}

export interface FinalizeDeps {
  db: Db;
  publicUrl: string;
}

export function jobResult(revision: RevisionRow): VectorJobResult {
  return {
    table_name: revision.table_name,
    table_names: revision.tables,
    views: revision.views,
    schema: 'geo',
    revision: revision.revision,
    feature_count: revision.row_count,
    geometry_type: revision.geometry_type,
    source_crs: revision.source_crs,
    stac_collection_id: revision.stac_collection_id,
    stac_item_id: revision.stac_item_ids[0] ?? null,
    stac_item_ids: revision.stac_item_ids,
    warnings: revision.warnings,
  };
}

/** View names: `{table}_{value}` by the one slug rule, made unique; a value with no letters or digits is numbered. */
function viewName(table: string, value: string | null, index: number, taken: Set<string>): string {
  const slug = postgresSlug(`${table}_${value ?? 'none'}`);
  const base = slug === table ? objectName(table, `v${index + 1}`) : slug;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = objectName(base, String(n));
  taken.add(name);
  return name;
}

async function buildTables(db: Db, load: LoadResult, parameters: ProcessVectorParameters, warnings: VectorWarning[]) {
  const { plan } = load;
  const geometry = await applyGeometryRules(db, load.staging, plan.columns, load.types);
  warnings.push(...geometry.warnings);
  const temporal: TemporalColumn | null = plan.temporal_property
    ? { name: plan.temporal_property, type: plan.columns.find((c) => c.name === plan.temporal_property)!.type }
    : null;
  const request: IndexRequest = {
    spatial: plan.indexes.spatial,
    columns: [...plan.indexes.attributes, ...plan.indexes.temporal, ...(plan.temporal_property ? [plan.temporal_property] : [])],
  };
  const taken = new Set<string>();
  const tables: TableToPublish[] = [];
  for (const laid of geometry.tables) {
    const name = laid.family ? objectName(plan.table_name, laid.family) : plan.table_name;
    taken.add(name);
    const [stats, values] = await Promise.all([
      tableStats(db, laid.staging, temporal),
      plan.split_column ? splitValues(db, laid.staging, plan.split_column, temporal) : Promise.resolve([]),
      indexStagingTable(db, laid.staging, request),
    ]);
    tables.push({
      name,
      staging: laid.staging,
      family: laid.family,
      geometryType: laid.geometryType,
      stats,
      indexes: indexSpecs(laid.staging, name, request),
      views: values.map((v, i) => ({ name: viewName(name, v.value, i, taken), value: v.value, stats: v.stats })),
      stacItemId: parameters.create_stac ? stacItemIdFor(parameters, plan.table_name, laid.family) : null,
    });
  }
  return { tables, splitFrom: geometry.splitFrom };
}

export async function finalizeStage(deps: FinalizeDeps, load: LoadResult, parameters: ProcessVectorParameters, ctx: TaskContext): Promise<VectorJobResult> {
  const { db } = deps;
  const { plan, staging } = load;
  const published = await revisionPublishedBy(db, plan.table_name, ctx.jobId);
  if (!(await stagingTableExists(db, staging))) {
    if (published) return jobResult(published);
    throw new Error(`the staging table etl.${staging} of this load is gone; resubmit the job`);
  }
  const warnings: VectorWarning[] = [...plan.warnings];
  if (load.null_geometries > 0) {
    warnings.push(warning('NULL_GEOMETRY_DROPPED', `${load.null_geometries} feature(s) without a geometry (null or empty) were not loaded`, load.null_geometries));
  }
  try {
    const { tables, splitFrom } = await buildTables(db, load, parameters, warnings);
    ctx.signal.throwIfAborted();
    const revision = await publishLoad(db, {
      jobId: ctx.jobId,
      baseName: plan.table_name,
      overwrite: parameters.overwrite,
      title: parameters.title ?? plan.table_name,
      description: parameters.description,
      columns: plan.columns,
      temporalProperty: plan.temporal_property,
      splitColumn: plan.split_column,
      sourceCrs: plan.source_crs,
      source: { container: plan.source.container, blob: plan.source.key },
      classification: { accessLevel: parameters.access_level, served: parameters.served },
      stacCollection: parameters.create_stac ? parameters.collection_id : null,
      clientRefs: clientRefs(parameters),
      tables,
      splitFrom,
      warnings,
      publicUrl: deps.publicUrl,
    });
    return jobResult(revision);
  } catch (error) {
    if (abandonsStaging(error, ctx)) await dropStagingTables(db, staging);
    throw error;
  }
}

export function assertLoadResult(items: unknown[] | undefined): LoadResult {
  const load = items?.[0] as LoadResult | undefined;
  if (!load?.plan || !load.staging) throw new MeridianError('INTERNAL_ERROR', 'the finalize task got no load result');
  return load;
}
