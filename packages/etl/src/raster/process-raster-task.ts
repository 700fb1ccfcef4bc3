/**
 * The `raster_process` task: one GeoTIFF → one COG per tier, published with metadata and STAC items.
 * Phases, each checkpointed so a retry resumes after the last one done: validated → (tiles) → statistics
 * and converted (side by side) → published. The work directory is removed when the task ends for good
 * and kept when a retry will come back to it; directories other tasks left behind are swept at the start
 * (work-dir-cleanup.ts).
 */
import type { TaskContext } from '@meridian/orchestrator';
import { bandStatistics, type BandStatistics } from './statistics.ts';
import { convertTier, type ConvertedCog } from './convert.ts';
import { describeOutput } from './describe-output.ts';
import { itemIdFromBlob, runTag, tierItemId } from './item-ids.ts';
import { requestedTiers, type ProcessRasterParameters, type RasterType, type Tier } from './parameters.ts';
import { assertCanPublish, itemFolder, outputKeys, publishOutputs, removeStaleBlobs, type OutputToPublish } from './publish.ts';
import { applicableTiers } from './cog-profiles.ts';
import { openSource, type SourceFile } from './source.ts';
import { sideBySide } from './side-by-side.ts';
import { stageInput, type StagedInput } from './staged-input.ts';
import { validateRaster, type ValidatedRaster } from './validate.ts';
import { existingSize, openWorkDir, type WorkDir } from './work-dir.ts';
import type { RasterDeps } from './deps.ts';
import { keepsWorkForRetry, removeStaleWorkDirs } from './work-dir-cleanup.ts';
import { phaseProgress } from './phase-progress.ts';
import { COG_MEDIA_TYPE } from './stac-item.ts';

export interface RasterOutput {
  tier: Tier;
  item_id: string;
  container: string;
  blob_path: string;
  thumbnail_path: string;
  size_bytes: number;
}

/** The task's result (and the process_raster job's): every output and where to find it. */
export interface ProcessRasterResult {
  collection_id: string;
  /** The first tier's item: the one a caller asking for "the" item means. */
  stac_item_id: string;
  item_ids: string[];
  outputs: RasterOutput[];
  raster_type: RasterType;
  detected_raster_type: RasterType;
  tiled: boolean;
  warped: boolean;
  source: { container: string; blob_name: string };
}

/** What survives a crash or a retry (checkpoint data), cumulative. */
interface RasterCheckpoint {
  sourceEtag: string;
  raster?: ValidatedRaster;
  tilesDone?: number[];
  statistics?: BandStatistics[];
  cogs?: ConvertedCog[];
  published?: ProcessRasterResult;
}

/** Saves checkpoints one at a time, each with the state as it is when written. */
function checkpointer(ctx: TaskContext, state: RasterCheckpoint): (phase: string) => Promise<void> {
  let chain = Promise.resolve();
  return (phase) => {
    chain = chain.then(() => ctx.checkpoint(phase, structuredClone(state)));
    return chain;
  };
}

/** A COG an earlier run converted, still on this machine's disk. */
async function reusable(state: RasterCheckpoint, tier: Tier): Promise<ConvertedCog | undefined> {
  const cog = state.cogs?.find((c) => c.tier === tier);
  return cog && (await existingSize(cog.path)) === cog.size ? cog : undefined;
}

interface ConversionResult {
  staged: StagedInput;
  cogs: ConvertedCog[];
}

/** One run of the task: what every phase reads. */
interface RasterRun {
  deps: RasterDeps;
  p: ProcessRasterParameters;
  ctx: TaskContext;
  work: WorkDir;
  source: SourceFile;
  state: RasterCheckpoint;
  save(phase: string): Promise<void>;
}

/** Stages the input (tiles when large) and writes each tier's COG, reusing what a checkpoint lists. */
async function convertAll(run: RasterRun, raster: ValidatedRaster, tiers: Tier[], signal: AbortSignal): Promise<ConversionResult> {
  const { state, work, source } = run;
  const progress = phaseProgress(run.ctx, 0.05, 0.85);
  const staged = await stageInput({
    sourcePath: source.path,
    raster,
    targetCrs: run.p.target_crs,
    work,
    tileThresholdBytes: run.deps.config.raster.tileThresholdBytes,
    signal,
    tiles: {
      done: new Set(state.tilesDone ?? []),
      markDone: async (index) => {
        state.tilesDone = [...(state.tilesDone ?? []), index];
        await run.save('tiles');
      },
    },
    onProgress: (f) => progress(0.5 * f, 'converting tiles'),
  });
  const start = staged.tiled ? 0.5 : 0;
  const cogs: ConvertedCog[] = [];
  for (const [i, tier] of tiers.entries()) {
    const earlier = await reusable(state, tier);
    if (earlier) {
      cogs.push(earlier);
      continue;
    }
    const share = (f: number) => progress(start + ((1 - start) * (i + f)) / tiers.length, `writing the ${tier} COG`);
    const cog = await convertTier(tier, { staged, raster, sourceName: source.ref.key, work, signal, onProgress: share });
    cogs.push(cog);
    state.cogs = [...(state.cogs ?? []).filter((c) => c.tier !== tier), cog];
    await run.save('converted');
  }
  return { staged, cogs };
}

/** The exact statistics of the source, unless a checkpoint has them already. */
async function sourceStatistics(run: RasterRun, signal: AbortSignal): Promise<BandStatistics[]> {
  if (!run.state.statistics) {
    run.state.statistics = await bandStatistics(run.source.path, run.p.blob_name, signal, true);
    await run.save('statistics');
  }
  return run.state.statistics;
}

function datetimeOf(p: ProcessRasterParameters, raster: ValidatedRaster): { datetime: string; source: 'submission' | 'file' | 'ingest' } {
  if (p.datetime) return { datetime: new Date(p.datetime).toISOString(), source: 'submission' };
  if (raster.fileDatetime) return { datetime: raster.fileDatetime, source: 'file' };
  return { datetime: new Date().toISOString(), source: 'ingest' };
}

interface Converted {
  raster: ValidatedRaster;
  staged: StagedInput;
  cogs: ConvertedCog[];
  statistics: BandStatistics[];
  itemIds: string[];
  baseItemId: string;
  taskIndex: number;
}

/** Metadata, thumbnail and STAC item of every COG, uploaded and committed together (publish.ts). */
async function describeAndPublish(run: RasterRun, c: Converted): Promise<OutputToPublish[]> {
  const { p, ctx, source } = run;
  const tag = runTag(ctx.jobId, c.taskIndex, source.etag);
  const when = datetimeOf(p, c.raster);
  const refs = c.itemIds.map((itemId) => {
    const keys = outputKeys(p.collection_id, itemId, tag);
    return { cog: { container: p.output_container, key: keys.cog }, thumbnail: { container: p.output_container, key: keys.thumbnail } };
  });
  const describeAll = async (): Promise<OutputToPublish[]> => {
    const outputs: OutputToPublish[] = [];
    for (const [i, cog] of c.cogs.entries()) {
      outputs.push(await describeOutput({
        cog,
        collectionId: p.collection_id,
        itemId: c.itemIds[i]!,
        title: p.title ?? c.baseItemId,
        rasterType: c.raster.rasterType,
        cogRef: refs[i]!.cog,
        thumbnailRef: refs[i]!.thumbnail,
        sourceStatistics: c.statistics,
        samePixels: cog.tier !== 'visualization' && !c.staged.warped,
        datetime: when.datetime,
        datetimeSource: when.source,
        source: { container: source.ref.container, blobName: source.ref.key, sizeBytes: source.size, etag: source.etag },
        jobId: ctx.jobId,
        publicUrl: run.deps.config.publicUrl,
        work: run.work,
        signal: ctx.signal,
      }));
    }
    return outputs;
  };
  const cogFiles = c.cogs.map((cog, i) => ({ ref: refs[i]!.cog, path: cog.path, contentType: COG_MEDIA_TYPE, keep: true }));
  return publishOutputs(run.deps.db, run.deps.store, cogFiles, describeAll, { accessLevel: p.access_level, served: p.served }, ctx.signal);
}

async function run(deps: RasterDeps, p: ProcessRasterParameters, taskIndex: number, ctx: TaskContext, work: WorkDir): Promise<ProcessRasterResult> {
  const { db, store, config } = deps;
  const { signal } = ctx;
  ctx.progress({ percent: 0, message: 'checking the input' });
  const source = await openSource(store, { container: p.container_name, key: p.blob_name }, config.raster.maxInputBytes, work, signal);
  const saved = ctx.lastCheckpoint?.data as RasterCheckpoint | undefined;
  // A checkpoint of another version of the file is worth nothing.
  const state: RasterCheckpoint = saved?.sourceEtag === source.etag ? saved : { sourceEtag: source.etag };
  const current: RasterRun = { deps, p, ctx, work, source, state, save: checkpointer(ctx, state) };
  const baseItemId = p.item_id ?? itemIdFromBlob(p.blob_name);

  if (!state.raster) {
    state.raster = await validateRaster(source.path, p.blob_name, { crs: p.crs, rasterType: p.raster_type, signal });
    await current.save('validated');
  }
  const raster = state.raster;
  const tiers = applicableTiers(requestedTiers(p.output_tier), raster);
  const itemIds = tiers.map((tier, i) => tierItemId(baseItemId, tier, i === 0));
  await assertCanPublish(db, p.collection_id, itemIds, { overwrite: p.overwrite, collectionMustExist: p.collection_must_exist, jobId: ctx.jobId });

  // The conversion keeps one core busy; the statistics pass reads the source on the other.
  const [{ staged, cogs }, statistics] = await sideBySide(signal, (s) => convertAll(current, raster, tiers, s), (s) => sourceStatistics(current, s));

  ctx.progress({ percent: 85, message: 'describing and uploading the outputs' });
  const outputs = await describeAndPublish(current, { raster, staged, cogs, statistics, itemIds, baseItemId, taskIndex });
  state.published = {
    collection_id: p.collection_id,
    stac_item_id: itemIds[0]!,
    item_ids: itemIds,
    outputs: outputs.map((o) => ({
      tier: o.metadata.tier,
      item_id: o.metadata.itemId,
      container: o.cog.ref.container,
      blob_path: o.cog.ref.key,
      thumbnail_path: o.thumbnail.ref.key,
      size_bytes: o.metadata.sizeBytes,
    })),
    raster_type: raster.rasterType,
    detected_raster_type: raster.detectedRasterType,
    tiled: staged.tiled,
    warped: staged.warped,
    source: { container: p.container_name, blob_name: p.blob_name },
  };
  await current.save('published');
  const warnings = outputs.flatMap((o) => o.validatorWarnings);
  ctx.log.info({ collection_id: p.collection_id, item_ids: itemIds, tiled: staged.tiled, cog_warnings: warnings }, 'raster published');
  return state.published;
}

/** Deletes the files of versions the published items no longer point at. */
async function removeSuperseded(deps: RasterDeps, result: ProcessRasterResult): Promise<void> {
  const container = result.outputs[0]!.container;
  const keep = new Set(result.outputs.flatMap((o) => [o.blob_path, o.thumbnail_path]));
  await removeStaleBlobs(deps.store, container, result.item_ids.map((id) => itemFolder(result.collection_id, id)), keep);
}

/** The sweep never fails the task: what it misses, the next task's sweep removes. */
async function sweepStaleWorkDirs(deps: RasterDeps, ctx: TaskContext): Promise<void> {
  try {
    const removed = await removeStaleWorkDirs(deps.db, deps.config.home, ctx.taskId);
    if (removed.length > 0) ctx.log.info({ task_ids: removed }, 'removed the work directories of raster tasks that will not run again');
  } catch (error) {
    ctx.log.warn({ err: error }, 'could not sweep the work directories of finished raster tasks');
  }
}

export async function processRaster(deps: RasterDeps, p: ProcessRasterParameters, taskIndex: number, ctx: TaskContext): Promise<ProcessRasterResult> {
  await sweepStaleWorkDirs(deps, ctx);
  const work = await openWorkDir(deps.config.home, ctx.taskId);
  let keepWork = false;
  try {
    const saved = ctx.lastCheckpoint?.data as RasterCheckpoint | undefined;
    const result = saved?.published ?? (await run(deps, p, taskIndex, ctx, work));
    await removeSuperseded(deps, result);
    ctx.progress({ percent: 100, message: 'done' });
    return result;
  } catch (error) {
    keepWork = await keepsWorkForRetry(deps.db, error, ctx);
    throw error;
  } finally {
    if (!keepWork) await work.remove();
  }
}
