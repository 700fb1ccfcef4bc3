/**
 * What the COG conversion reads. Usually the source file itself; a warped VRT when the raster is
 * reprojected (`target_crs`) or only has ground control points; and, for rasters above the tiling
 * threshold, a VRT mosaic of tiles converted one by one (checkpointed, so a retry resumes at the next
 * tile). Nothing here holds pixels in memory: GDAL streams blocks through a bounded cache.
 */
import { runGdal } from './gdal-runner.ts';
import { RASTER_TYPE_PROFILES } from './raster-type.ts';
import { buildTiledInput, type TileProgress } from './tiled-input.ts';
import type { ValidatedRaster } from './validate.ts';
import type { WorkDir } from './work-dir.ts';
import { gdalInfo } from './gdal-info.ts';

export interface StagedInput {
  path: string;
  width: number;
  height: number;
  /** Arguments every tier's gdal_translate adds: an assigned CRS, stamped colour interpretation. */
  translateArgs: string[];
  tiled: boolean;
  warped: boolean;
}

export interface StageOptions {
  sourcePath: string;
  raster: ValidatedRaster;
  targetCrs: string | undefined;
  work: WorkDir;
  tileThresholdBytes: number;
  signal: AbortSignal;
  tiles: TileProgress;
  onProgress(fraction: number): void;
}

/** The colour interpretation imagery must carry for viewers to show it right. */
const STAMPED: Partial<Record<string, string[]>> = {
  rgb: ['red', 'green', 'blue'],
  rgba: ['red', 'green', 'blue', 'alpha'],
};

/** gdalwarp adds an alpha band when nothing else can mark the area outside the reprojected footprint. */
function addsAlpha(raster: ValidatedRaster, warped: boolean): boolean {
  return warped && raster.bands.every((b) => b.nodata === null) && raster.bands.at(-1)?.colorInterpretation !== 'Alpha';
}

function colorInterpretation(raster: ValidatedRaster, alphaAdded: boolean): string[] {
  const stamped = STAMPED[raster.rasterType];
  if (!stamped) return [];
  const wanted = alphaAdded ? [...stamped, 'alpha'] : stamped;
  const current = [...raster.bands.map((b) => b.colorInterpretation.toLowerCase()), ...(alphaAdded ? ['alpha'] : [])];
  return wanted.every((c, i) => current[i] === c) ? [] : ['-colorinterp', wanted.join(',')];
}

/** A warped VRT: the target grid, computed on the fly from the source when read. */
async function warpedVrt(options: StageOptions): Promise<string> {
  const { raster, sourcePath, targetCrs, work, signal } = options;
  const path = work.file('warped.vrt');
  const args = ['-q', '-overwrite', '-of', 'VRT', '-r', RASTER_TYPE_PROFILES[raster.rasterType].warpResampling];
  if (raster.crs.assigned) args.push('-s_srs', raster.crs.definition!);
  if (targetCrs) args.push('-t_srs', targetCrs);
  if (addsAlpha(raster, true)) args.push('-dstalpha');
  await runGdal('gdalwarp', [...args, sourcePath, path], { signal });
  return path;
}

export async function stageInput(options: StageOptions): Promise<StagedInput> {
  const { raster } = options;
  const warped = options.targetCrs !== undefined || raster.geoTransform === null;
  const base = warped ? await warpedVrt(options) : options.sourcePath;
  const [width, height] = warped ? (await gdalInfo(base, { signal: options.signal })).size : [raster.width, raster.height];
  const translateArgs = [...(raster.crs.assigned && !warped ? ['-a_srs', raster.crs.definition!] : []), ...colorInterpretation(raster, addsAlpha(raster, warped))];
  const bytesPerPixel = raster.uncompressedBytes / (raster.width * raster.height);
  if (width * height * bytesPerPixel <= options.tileThresholdBytes) {
    return { path: base, width, height, translateArgs, tiled: false, warped };
  }
  const mosaic = await buildTiledInput({
    base,
    width,
    height,
    bytesPerPixel,
    dataType: raster.dataType,
    tileThresholdBytes: options.tileThresholdBytes,
    work: options.work,
    signal: options.signal,
    progress: options.tiles,
    onProgress: options.onProgress,
  });
  return { path: mosaic, width, height, translateArgs, tiled: true, warped };
}
