/**
 * A small PNG preview of a COG for the STAC item's thumbnail asset, made by gdal_translate from the COG's
 * overviews (cheap whatever the raster's size). Values are stretched from each band's minimum to maximum
 * into 1…255, and nodata/masked pixels become transparent through the mask band.
 */
import { runGdal } from './gdal-runner.ts';
import type { RasterBandMetadata, RasterMetadata } from './raster-metadata.ts';

export const THUMBNAIL_SIZE = 256;
export const THUMBNAIL_MEDIA_TYPE = 'image/png';

/** The bands a preview shows: the first three of imagery (as red, green, blue), else the first one. */
function previewBands(bands: readonly RasterBandMetadata[], imagery: boolean): RasterBandMetadata[] {
  const data = bands.filter((b) => b.colorInterpretation !== 'Alpha');
  return imagery && data.length >= 3 ? data.slice(0, 3) : data.slice(0, 1);
}

/**
 * The transparency band of the preview: the COG's alpha band, or its mask (nodata or internal mask).
 * A raster with neither gets none — GDAL would otherwise compute an all-valid mask at full resolution.
 */
function alphaSource(metadata: Pick<RasterMetadata, 'bands' | 'mask'>): string | null {
  if (metadata.mask === 'alpha') return String(metadata.bands.find((b) => b.colorInterpretation === 'Alpha')!.index);
  return metadata.mask === 'none' ? null : 'mask';
}

export async function writeThumbnail(cogPath: string, outPath: string, metadata: Pick<RasterMetadata, 'bands' | 'mask' | 'width' | 'height'>, imagery: boolean, signal: AbortSignal): Promise<void> {
  const shown = previewBands(metadata.bands, imagery);
  const [w, h] = metadata.width >= metadata.height ? [THUMBNAIL_SIZE, 0] : [0, THUMBNAIL_SIZE];
  const args = ['-q', '-of', 'PNG', '-outsize', String(w), String(h), '-r', 'average', '-ot', 'Byte', '-a_nodata', 'none'];
  shown.forEach((band, i) => {
    args.push('-b', String(band.index));
    const s = band.statistics;
    // 8-bit bands are shown as they are; anything else is stretched over its own range.
    if (band.dataType !== 'Byte' && s) args.push(`-scale_${i + 1}`, String(s.minimum), String(s.maximum), '1', '255');
  });
  const alpha = alphaSource(metadata);
  if (alpha) args.push('-b', alpha);
  const colors = [...(shown.length === 3 ? ['red', 'green', 'blue'] : ['gray']), ...(alpha ? ['alpha'] : [])];
  args.push('-colorinterp', colors.join(','));
  await runGdal('gdal_translate', [...args, cogPath, outPath], { signal });
}
