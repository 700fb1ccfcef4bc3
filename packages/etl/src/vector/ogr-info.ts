/**
 * What `ogrinfo -so -al` says about a vector dataset: its driver and, per layer, the geometry type,
 * feature count, extent, CRS and attributes. GDAL 3.6's ogrinfo has no JSON output, so its summary text
 * is parsed; the parser reads only the lines of the layer summary format and ignores the rest.
 */
import { MeridianError } from '@meridian/core';
import { runProcess } from '../raster/gdal-runner.ts';
import type { OgrField } from './column-types.ts';

export interface OgrCrs {
  wkt: string;
  /** The CRS's EPSG code when its WKT names one at the top level. */
  epsg: number | null;
  /** "EPSG:n", else the CRS's name. */
  label: string;
  geographic: boolean;
}

export interface OgrLayer {
  name: string;
  /** As ogrinfo prints it: "Point", "Multi Polygon", "3D Line String", "Unknown (any)", "None", … */
  geometryType: string;
  featureCount: number | null;
  /** [minX, minY, maxX, maxY] in the layer's CRS and data axis order. */
  extent: [number, number, number, number] | null;
  crs: OgrCrs | null;
  /** "2,1" when the data is in longitude/latitude order for a CRS that declares latitude first. */
  axisMapping: string | null;
  fields: OgrField[];
}

export interface OgrDataset {
  driver: string | null;
  layers: OgrLayer[];
}

const FIELD_LINE = /^(.+): (Integer64List|Integer64|IntegerList|Integer|RealList|Real|WideStringList|WideString|StringList|String|Binary|DateTime|Date|Time)(?:\((\w+)\))? \(\d+\.\d+\)/;
const EXTENT_LINE = /^Extent: \(([-\d.e+]+), ([-\d.e+]+)\) - \(([-\d.e+]+), ([-\d.e+]+)\)/;
const DRIVER_LINE = /using driver `([^']+)' successful/;
const TOP_LEVEL_EPSG = /\n {4}ID\["EPSG",(\d+)\]\]$/;
const CRS_NAME = /^[A-Z0-9]+\["([^"]*)"/;

function parseCrs(wkt: string): OgrCrs {
  const epsg = TOP_LEVEL_EPSG.exec(wkt)?.[1];
  const name = CRS_NAME.exec(wkt)?.[1] ?? 'unnamed CRS';
  return {
    wkt,
    epsg: epsg === undefined ? null : Number(epsg),
    label: epsg === undefined ? name : `EPSG:${epsg}`,
    geographic: /^GEOG(?:CRS|RAPHICCRS)\[/.test(wkt),
  };
}

function parseLayer(block: string[]): OgrLayer {
  const layer: OgrLayer = { name: block[0]!.slice('Layer name: '.length), geometryType: 'Unknown (any)', featureCount: null, extent: null, crs: null, axisMapping: null, fields: [] };
  let i = 1;
  // Header lines come first; a field named "Geometry" is only a field after the CRS section.
  for (; i < block.length && !block[i]!.startsWith('Layer SRS WKT:'); i++) {
    const line = block[i]!;
    if (line.startsWith('Geometry: ')) layer.geometryType = line.slice('Geometry: '.length);
    else if (line.startsWith('Feature Count: ')) layer.featureCount = Number(line.slice('Feature Count: '.length));
    else {
      const extent = EXTENT_LINE.exec(line);
      if (extent) layer.extent = [Number(extent[1]), Number(extent[2]), Number(extent[3]), Number(extent[4])];
    }
  }
  i += 1;
  if (i < block.length && block[i] !== '(unknown)') {
    const wkt = [block[i]!];
    for (i += 1; i < block.length && /^\s/.test(block[i]!); i++) wkt.push(block[i]!);
    layer.crs = parseCrs(wkt.join('\n'));
  } else {
    i += 1;
  }
  for (; i < block.length; i++) {
    const line = block[i]!;
    if (line.startsWith('Data axis to CRS axis mapping: ')) {
      layer.axisMapping = line.slice('Data axis to CRS axis mapping: '.length);
      continue;
    }
    const field = FIELD_LINE.exec(line);
    if (field) layer.fields.push({ name: field[1]!, type: field[2]!, subtype: field[3] ?? null });
  }
  return layer;
}

export function parseOgrinfo(text: string): OgrDataset {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const driver = DRIVER_LINE.exec(text)?.[1] ?? null;
  const layers: OgrLayer[] = [];
  let block: string[] | null = null;
  for (const line of lines) {
    if (line.startsWith('Layer name: ')) {
      if (block) layers.push(parseLayer(block));
      block = [line];
    } else if (block) {
      block.push(line);
    }
  }
  if (block) layers.push(parseLayer(block));
  return { driver, layers };
}

/**
 * Runs `ogrinfo -ro -so -al` (read-only, summary, all layers); `fieldsOnly` skips the feature count and
 * extent, which cost a full read for some formats. A dataset GDAL cannot open is CORRUPTED_FILE: the
 * name promised a format the content does not have, or the file is damaged.
 */
export async function ogrInfo(path: string, openOptions: readonly string[], signal: AbortSignal, displayName: string, fieldsOnly = false): Promise<OgrDataset> {
  const args = ['-ro', '-so', '-al', ...(fieldsOnly ? ['-nocount', '-noextent'] : []), ...openOptions.flatMap((o) => ['-oo', o]), path];
  const result = await runProcess('ogrinfo', args, { signal });
  if (result.code !== 0) {
    const errors = [...result.stderr.matchAll(/^ERROR \d+: (.*)$/gm)].map((m) => m[1]!.trim());
    const reason = errors.length ? errors.slice(0, 3).join('; ') : 'GDAL recognizes no vector format in it';
    throw new MeridianError('CORRUPTED_FILE', `"${displayName}" cannot be read as vector data: ${reason}`.slice(0, 1000), { blob_name: displayName });
  }
  return parseOgrinfo(result.stdout);
}
