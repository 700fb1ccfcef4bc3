/**
 * The tiled path for rasters above the threshold: the grid is cut into square windows aligned to the
 * COG's 512-pixel blocks, each window is written as its own losslessly compressed GeoTIFF (one GDAL
 * process each, memory bounded by GDAL's block cache), and a VRT assembles them for the final
 * VRT → COG step. Finished tiles are checkpointed, so a retry converts only what is left.
 */
import { COG_BLOCK_SIZE } from './cog-profiles.ts';
import { runGdal } from './gdal-runner.ts';
import { existingSize, type WorkDir } from './work-dir.ts';

export interface TileWindow {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Which tiles an earlier run finished, and how to record another one (a checkpoint). */
export interface TileProgress {
  done: ReadonlySet<number>;
  markDone(index: number): Promise<void>;
}

/** Tiles never grow past this, so a tile's intermediate file stays small whatever the threshold. */
const MAX_TILE_SIDE = 16_384;

/** The tile side: as large as the threshold allows (a tile is at most a quarter of it), in whole blocks. */
export function tileSide(tileThresholdBytes: number, bytesPerPixel: number): number {
  const side = Math.floor(Math.sqrt(tileThresholdBytes / 4 / bytesPerPixel) / COG_BLOCK_SIZE) * COG_BLOCK_SIZE;
  return Math.min(MAX_TILE_SIDE, Math.max(COG_BLOCK_SIZE, side));
}

export function planTiles(width: number, height: number, side: number): TileWindow[] {
  const tiles: TileWindow[] = [];
  for (let y = 0; y < height; y += side) {
    for (let x = 0; x < width; x += side) {
      tiles.push({ index: tiles.length, x, y, width: Math.min(side, width - x), height: Math.min(side, height - y) });
    }
  }
  return tiles;
}

export interface TiledInputOptions {
  base: string;
  width: number;
  height: number;
  bytesPerPixel: number;
  dataType: string;
  tileThresholdBytes: number;
  work: WorkDir;
  signal: AbortSignal;
  progress: TileProgress;
  onProgress(fraction: number): void;
}

/**
 * Intermediate tiles use ZSTD at its fastest level (lossless, cheap to write and read back) and leave
 * empty blocks out (SPARSE_OK), so a sparse input stays small on disk.
 */
function tileCreationOptions(dataType: string): string[] {
  const predictor = dataType.startsWith('Float') ? 3 : 2;
  return ['TILED=YES', `BLOCKXSIZE=${COG_BLOCK_SIZE}`, `BLOCKYSIZE=${COG_BLOCK_SIZE}`, 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1', `PREDICTOR=${predictor}`, 'SPARSE_OK=TRUE', 'BIGTIFF=IF_SAFER']
    .flatMap((o) => ['-co', o]);
}

export async function buildTiledInput(options: TiledInputOptions): Promise<string> {
  const { work, signal, progress } = options;
  const tiles = planTiles(options.width, options.height, tileSide(options.tileThresholdBytes, options.bytesPerPixel));
  const paths = tiles.map((t) => work.file(`tile-${t.index}.tif`));
  let finished = 0;
  for (const tile of tiles) {
    const path = paths[tile.index]!;
    // A tile is reused only when it was checkpointed and is still on this machine's disk.
    if (!progress.done.has(tile.index) || (await existingSize(path)) === null) {
      const share = (fraction: number) => options.onProgress((finished + fraction) / tiles.length);
      await runGdal('gdal_translate', [...tileCreationOptions(options.dataType), '-srcwin', String(tile.x), String(tile.y), String(tile.width), String(tile.height), options.base, path], { signal, onProgress: share });
      await progress.markDone(tile.index);
    }
    finished += 1;
    options.onProgress(finished / tiles.length);
  }
  const mosaic = work.file('tiles.vrt');
  await runGdal('gdalbuildvrt', ['-q', '-overwrite', mosaic, ...paths], { signal });
  return mosaic;
}
