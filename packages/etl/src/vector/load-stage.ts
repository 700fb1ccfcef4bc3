/**
 * Stage 2 of process_vector: streams the layer into its staging table in chunks. Each chunk is one COPY
 * whose rows carry the chunk's number (etl_batch_id); a checkpoint after each chunk records where the
 * load is. A retried task deletes every batch from the one after its checkpoint on, then skips the
 * features it has loaded and goes on — so a retry never duplicates a row, and a failed load whose cause
 * is the input drops its staging table, leaving nothing behind.
 */
import { MeridianError } from '@meridian/core';
import { isDbError, type Db } from '@meridian/db';
import type { BlobStore } from '@meridian/storage';
import type { TaskContext } from '@meridian/orchestrator';
import { BATCH_COLUMN, GEOMETRY_COLUMN, ID_COLUMN } from './column-names.ts';
import { asUtcTimestamp } from './column-types.ts';
import { copyRecords, copyStatementColumns, splitCopyRecord } from './copy-text.ts';
import { WKB_TYPE_NAMES, readWkbHeader } from './ewkb.ts';
import { STREAM_GEOMETRY_NAME, readAsCopyText } from './ogr-stream.ts';
import { openLocalSource } from './source-file.ts';
import { abandonsStaging } from './staging-cleanup.ts';
import { STAGING_SCHEMA, createStagingTable, deleteBatchesFrom, dropStagingTables, stagingTableExists, stagingTableName } from './staging-tables.ts';
import type { LoadPlan } from './validate-stage.ts';

export interface LoadCounts {
  /** Features read from the source, loaded or not: the next feature's id is this plus one. */
  features_read: number;
  rows_loaded: number;
  /** Features without a geometry, or with an empty one: not loaded. */
  null_geometries: number;
  /** Loaded features by geometry type (GeoJSON names). */
  types: Record<string, number>;
  next_batch: number;
}

export interface LoadResult extends LoadCounts {
  plan: LoadPlan;
  staging: string;
}

export interface LoadOptions {
  /** Features per chunk (one COPY, one checkpoint). */
  chunkRows: number;
  /** The longest feature the reader accepts, in characters of COPY text (hex EWKB: 32 per vertex). */
  maxRecordChars: number;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = { chunkRows: 100_000, maxRecordChars: 256 * 1024 * 1024 };

/** Geometry characters after which a chunk ends early, so one chunk of huge polygons stays bounded. */
const CHUNK_GEOMETRY_CHARS = 64 * 1024 * 1024;

const LOADING = 'loading';

export interface LoadDeps {
  db: Db;
  store: BlobStore;
  home: string;
}

/**
 * The rows of the layer's COPY block, fields decoded, a batch per chunk of ogr2ogr's output. The
 * statement lists the geometry, then the attributes in the order ogrinfo reported them (the writer renames
 * an attribute whose name differs from an earlier one only in case, so the order is checked, not the names).
 */
async function* layerRecords(text: AsyncIterable<string>, plan: LoadPlan, maxRecordChars: number): AsyncGenerator<(string | null)[][]> {
  let inBlock = false;
  let done = false;
  for await (const records of copyRecords(text, maxRecordChars)) {
    const rows: (string | null)[][] = [];
    for (const record of records) {
      if (done) break;
      if (!inBlock) {
        if (!record.startsWith('COPY ')) continue;
        const columns = copyStatementColumns(record);
        if (columns[0] !== STREAM_GEOMETRY_NAME || columns.length !== plan.columns.length + 1) {
          throw new Error(`ogr2ogr wrote the columns ${JSON.stringify(columns)}; validation found ${JSON.stringify(plan.columns.map((c) => c.original_name))}`);
        }
        inBlock = true;
      } else if (record === '\\.') {
        done = true;
      } else {
        rows.push(splitCopyRecord(record));
      }
    }
    if (rows.length) yield rows;
  }
}

/** One feature at a time from the batches, across chunk boundaries; undefined at the end. */
class FeatureCursor {
  private batch: (string | null)[][] = [];
  private position = 0;
  constructor(private readonly batches: AsyncGenerator<(string | null)[][]>) {}

  /** The next feature when its batch is in memory already (no await), else null: then call `next()`. */
  take(): (string | null)[] | null {
    return this.position < this.batch.length ? this.batch[this.position++]! : null;
  }

  /** Reads the next batch and takes its first feature; null at the end of the layer. */
  async next(): Promise<(string | null)[] | null> {
    const next = await this.batches.next();
    if (next.done) return null;
    this.batch = next.value;
    this.position = 0;
    return this.take();
  }

  async close(): Promise<void> {
    await this.batches.return(undefined);
  }
}

function resumePoint(ctx: TaskContext): LoadCounts | null {
  return ctx.lastCheckpoint?.phase === LOADING ? (ctx.lastCheckpoint.data as LoadCounts) : null;
}

/** A value PostgreSQL refuses for its column is bad data in the file, not a reason to retry. */
function asInputError(error: unknown, counts: LoadCounts, blobName: string): unknown {
  if (isDbError(error) && (error.sqlState.startsWith('22') || error.sqlState === 'XX000')) {
    return new MeridianError('CORRUPTED_FILE', `"${blobName}": a value near feature ${counts.features_read} does not fit its column: ${error.message}`.slice(0, 1000), { blob_name: blobName }, { cause: error });
  }
  return error;
}

async function copyChunks(deps: LoadDeps, plan: LoadPlan, staging: string, counts: LoadCounts, ctx: TaskContext, options: LoadOptions): Promise<void> {
  const local = await openLocalSource(deps.store, { container: plan.source.container, key: plan.source.key }, plan.source.format, {
    home: deps.home, layerName: plan.source.layer, signal: ctx.signal,
  });
  try {
    const text = readAsCopyText({ gdalPath: local.gdalPath, layer: plan.source.layer, openOptions: plan.source.open_options, crs: plan.crs }, plan.source.key, ctx.signal);
    const features = new FeatureCursor(layerRecords(text, plan, options.maxRecordChars));
    try {
      for (let skipped = 0; skipped < counts.features_read; skipped++) {
        if (!(features.take() ?? (await features.next()))) throw new Error(`the file has fewer features than the ${counts.features_read} an earlier attempt read`);
      }
      const timestamps = plan.columns.flatMap((c, i) => (c.type === 'timestamp with time zone' ? [i + 1] : []));
      const copyColumns = [ID_COLUMN, ...plan.columns.map((c) => c.name), GEOMETRY_COLUMN, BATCH_COLUMN];
      let exhausted = false;
      async function* chunk(batch: number): AsyncGenerator<unknown[]> {
        let rows = 0;
        let chars = 0;
        while (rows < options.chunkRows && chars < CHUNK_GEOMETRY_CHARS) {
          const fields: unknown[] | null = features.take() ?? (await features.next());
          if (!fields) {
            exhausted = true;
            return;
          }
          counts.features_read += 1;
          const geometry = fields[0] as string | null;
          const header = geometry ? readWkbHeader(geometry) : null;
          if (!geometry || !header || header.empty) {
            counts.null_geometries += 1;
            continue;
          }
          const type = WKB_TYPE_NAMES[header.type] ?? 'Geometry';
          counts.types[type] = (counts.types[type] ?? 0) + 1;
          for (const i of timestamps) if (fields[i] != null) fields[i] = asUtcTimestamp(fields[i] as string);
          // The row in COPY column order: the feature id where the geometry was, then the geometry and the batch.
          fields[0] = counts.features_read;
          fields.push(geometry, batch);
          rows += 1;
          chars += geometry.length;
          yield fields;
        }
      }
      while (!exhausted) {
        const batch = counts.next_batch;
        try {
          counts.rows_loaded += await deps.db.copyFrom({ schema: STAGING_SCHEMA, table: staging }, copyColumns, chunk(batch));
        } catch (error) {
          throw asInputError(error, counts, plan.source.key);
        }
        counts.next_batch = batch + 1;
        await ctx.checkpoint(LOADING, counts);
        ctx.progress({ percent: plan.feature_count ? Math.min(99, Math.round((100 * counts.features_read) / plan.feature_count)) : undefined, message: `${counts.rows_loaded} features loaded` });
      }
    } finally {
      await features.close();
    }
  } finally {
    await local.release();
  }
}

export async function loadStage(deps: LoadDeps, plan: LoadPlan, ctx: TaskContext, options: LoadOptions = DEFAULT_LOAD_OPTIONS): Promise<LoadResult> {
  const staging = stagingTableName(ctx.jobId);
  const resume = resumePoint(ctx);
  let counts: LoadCounts;
  if (resume && (await stagingTableExists(deps.db, staging))) {
    counts = structuredClone(resume);
    await deleteBatchesFrom(deps.db, staging, counts.next_batch);
  } else {
    counts = { features_read: 0, rows_loaded: 0, null_geometries: 0, types: {}, next_batch: 0 };
    await createStagingTable(deps.db, staging, plan.columns);
  }
  try {
    await copyChunks(deps, plan, staging, counts, ctx, options);
  } catch (error) {
    if (abandonsStaging(error, ctx)) await dropStagingTables(deps.db, staging);
    throw error;
  }
  if (counts.rows_loaded === 0) {
    await dropStagingTables(deps.db, staging);
    throw new MeridianError('VECTOR_NO_FEATURES', `"${plan.source.key}" has ${counts.features_read} feature(s) but none with a geometry`, { blob_name: plan.source.key });
  }
  return { ...counts, plan, staging };
}
