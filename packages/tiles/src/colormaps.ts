/**
 * Colour maps (TiTiler's `colormap_name` and `colormap`). Each named ramp is 256 RGBA entries generated
 * from a few anchor colours by linear interpolation — close to matplotlib's tables without vendoring
 * them. Every name also exists reversed with "_r". A `colormap` JSON is either discrete
 * ({"1": [r,g,b,a], …}) or intervals ([[[min, max], [r,g,b,a]], …]).
 */
import { MeridianError } from '@meridian/core';

/** 256 entries × RGBA. */
export type Ramp = Uint8Array;
export type Rgba = [number, number, number, number];

export type ColorMap =
  | { kind: 'ramp'; table: Ramp }
  | { kind: 'discrete'; entries: Map<number, Rgba> }
  | { kind: 'intervals'; intervals: Array<{ min: number; max: number; color: Rgba }> };

/** Anchor colours, evenly spaced unless given as [position 0..1, colour]. */
const ANCHORS: Record<string, Array<string | [number, string]>> = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  magma: ['#000004', '#1c1044', '#4f127b', '#812581', '#b5367a', '#e55064', '#fb8761', '#fec287', '#fcfdbf'],
  inferno: ['#000004', '#1f0c48', '#550f6d', '#88226a', '#ba3655', '#e35933', '#f98e09', '#f9cb35', '#fcffa4'],
  plasma: ['#0d0887', '#46039f', '#7201a8', '#9c179e', '#bd3786', '#d8576b', '#ed7953', '#fb9f3a', '#fdca26', '#f0f921'],
  cividis: ['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8678', '#a59c74', '#c3b369', '#e1cc55', '#fee838'],
  greys: ['#ffffff', '#000000'],
  gray: ['#000000', '#ffffff'],
  blues: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
  reds: ['#fff5f0', '#fee0d2', '#fcbba1', '#fc9272', '#fb6a4a', '#ef3b2c', '#cb181d', '#a50f15', '#67000d'],
  greens: ['#f7fcf5', '#e5f5e0', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c', '#00441b'],
  rdylgn: ['#a50026', '#d73027', '#f46d43', '#fdae61', '#fee08b', '#ffffbf', '#d9ef8b', '#a6d96a', '#66bd63', '#1a9850', '#006837'],
  rdbu: ['#67001f', '#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#053061'],
  spectral: ['#9e0142', '#d53e4f', '#f46d43', '#fdae61', '#fee08b', '#ffffbf', '#e6f598', '#abdda4', '#66c2a5', '#3288bd', '#5e4fa2'],
  terrain: [[0, '#333399'], [0.15, '#0099ff'], [0.25, '#00cc66'], [0.5, '#ffff99'], [0.75, '#805c54'], [1, '#ffffff']],
  gist_earth: [[0, '#000000'], [0.1, '#1c3f7c'], [0.3, '#3d8a8a'], [0.5, '#5aa04a'], [0.7, '#a8a94c'], [0.85, '#c89d8a'], [1, '#fdfbfb']],
  /** A hypsometric tint for elevation models: lowland green through brown to snow. */
  dem: [[0, '#2e6b3a'], [0.2, '#6fa35b'], [0.4, '#d9cf8a'], [0.6, '#b8875a'], [0.8, '#8a6a5a'], [1, '#f5f5f5']],
  /** Hillshade-friendly grey ramp for DEM derivatives. */
  hillshade: ['#1a1a1a', '#f0f0f0'],
};

function parseHex(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function buildRamp(anchors: Array<string | [number, string]>): Ramp {
  const stops = anchors.map((anchor, i) => (typeof anchor === 'string' ? [i / (anchors.length - 1), anchor] as const : anchor));
  const table = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1]![0]) k++;
    const [p0, c0] = stops[k]!;
    const [p1, c1] = stops[k + 1]!;
    const f = p1 === p0 ? 0 : Math.min(1, Math.max(0, (t - p0) / (p1 - p0)));
    const a = parseHex(c0), b = parseHex(c1);
    for (let c = 0; c < 3; c++) table[i * 4 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
    table[i * 4 + 3] = 255;
  }
  return table;
}

function reversed(table: Ramp): Ramp {
  const out = new Uint8Array(table.length);
  for (let i = 0; i < 256; i++) out.set(table.subarray((255 - i) * 4, (255 - i) * 4 + 4), i * 4);
  return out;
}

const RAMPS = new Map<string, Ramp>();
for (const [name, anchors] of Object.entries(ANCHORS)) {
  const table = buildRamp(anchors);
  RAMPS.set(name, table);
  RAMPS.set(`${name}_r`, reversed(table));
}

export function colorMapNames(): string[] {
  return [...RAMPS.keys()].sort();
}

/** The named ramp; RASTER_COLORMAP_UNKNOWN (400) otherwise. */
export function namedColorMap(name: string): Ramp {
  const table = RAMPS.get(name.toLowerCase());
  if (!table) throw new MeridianError('RASTER_COLORMAP_UNKNOWN', `"${name}" is not a colormap; GET /api/raster/colorMaps lists them`, { parameter: 'colormap_name' });
  return table;
}

/** The ramp as TiTiler's colorMaps/{id} JSON: {"0": [r,g,b,a], …, "255": […]}. */
export function rampJson(table: Ramp): Record<string, Rgba> {
  const out: Record<string, Rgba> = {};
  for (let i = 0; i < 256; i++) out[String(i)] = Array.from(table.subarray(i * 4, i * 4 + 4)) as Rgba;
  return out;
}

function invalidColorMap(why: string): never {
  throw new MeridianError('RASTER_PARAMETER_INVALID', `colormap: ${why}`, { parameter: 'colormap' });
}

function rgba(value: unknown): Rgba {
  if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4) || !value.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    invalidColorMap('colours must be [r, g, b] or [r, g, b, a] with integers 0..255');
  }
  return [value[0], value[1], value[2], value[3] ?? 255];
}

const MAX_COLORMAP_ENTRIES = 1024;

/** Parses the `colormap` JSON parameter (discrete or intervals). */
export function parseColorMap(text: string): ColorMap {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    invalidColorMap('not valid JSON');
  }
  if (Array.isArray(json)) {
    if (json.length === 0 || json.length > MAX_COLORMAP_ENTRIES) invalidColorMap(`give 1..${MAX_COLORMAP_ENTRIES} intervals`);
    return {
      kind: 'intervals',
      intervals: json.map((entry: unknown) => {
        if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[0]) || entry[0].length !== 2 || !entry[0].every((n: unknown) => typeof n === 'number')) {
          invalidColorMap('intervals are [[min, max], [r, g, b, a]]');
        }
        return { min: entry[0][0] as number, max: entry[0][1] as number, color: rgba(entry[1]) };
      }),
    };
  }
  if (json === null || typeof json !== 'object') invalidColorMap('give an object {"value": [r, g, b, a]} or a list of intervals');
  const pairs = Object.entries(json as Record<string, unknown>);
  if (pairs.length === 0 || pairs.length > MAX_COLORMAP_ENTRIES) invalidColorMap(`give 1..${MAX_COLORMAP_ENTRIES} entries`);
  const entries = new Map<number, Rgba>();
  for (const [key, value] of pairs) {
    const number = Number(key);
    if (key.trim() === '' || !Number.isFinite(number)) invalidColorMap(`"${key}" is not a number`);
    entries.set(number, rgba(value));
  }
  return { kind: 'discrete', entries };
}

/** Writes the colour of `value` into `out` at `offset`; false when the value has no colour (transparent). */
export function applyColorMap(map: ColorMap, value: number, out: Uint8Array, offset: number): boolean {
  let color: ArrayLike<number> | undefined;
  if (map.kind === 'ramp') {
    const index = Math.max(0, Math.min(255, Math.round(value)));
    color = map.table.subarray(index * 4, index * 4 + 4);
  } else if (map.kind === 'discrete') {
    color = map.entries.get(value);
  } else {
    color = map.intervals.find((interval) => value >= interval.min && value < interval.max)?.color;
  }
  if (!color) return false;
  out[offset] = color[0]!; out[offset + 1] = color[1]!; out[offset + 2] = color[2]!; out[offset + 3] = color[3]!;
  return true;
}
