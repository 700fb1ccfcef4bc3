/**
 * CRS handling with proj4: the EPSG codes a COG (or a request) may use, turned into proj4 definitions.
 * proj4 knows EPSG:4326 and EPSG:3857; UTM zones and a few common national grids are defined here from
 * their parameters, so no EPSG database has to be shipped.
 */
import proj4 from 'proj4';
import { MeridianError } from '@meridian/core';

const EXTRA_DEFINITIONS: Record<number, string> = {
  4269: '+proj=longlat +datum=NAD83 +no_defs',
  4258: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
  3035: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  2154: '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  27700: '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +units=m +no_defs',
};

/** The proj4 definition of a supported EPSG code other than 4326/3857, or undefined. */
function definitionFor(code: number): string | undefined {
  const north = code >= 32601 && code <= 32660;
  const south = code >= 32701 && code <= 32760;
  if (north || south) return `+proj=utm +zone=${code % 100}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`;
  return EXTRA_DEFINITIONS[code];
}

/** Registers the code with proj4 and returns its name ("EPSG:32633"); RASTER_CRS_UNSUPPORTED otherwise. */
export function epsgCrs(code: number): string {
  const name = `EPSG:${code}`;
  if (code === 4326 || code === 3857) return name;
  const definition = definitionFor(code);
  if (!definition) {
    throw new MeridianError('RASTER_CRS_UNSUPPORTED', `EPSG:${code} is not supported; supported: EPSG:4326, EPSG:3857, UTM (EPSG:326xx/327xx), ${Object.keys(EXTRA_DEFINITIONS).map((c) => `EPSG:${c}`).join(', ')}`);
  }
  if (!proj4.defs(name)) proj4.defs(name, definition);
  return name;
}

/** Parses a request CRS ("EPSG:4326", "epsg:3857", an OGC URI, CRS84) into a proj4 name. */
export function parseCrs(text: string): string {
  if (/^(OGC:)?CRS84$|\/OGC\/1\.3\/CRS84$/i.test(text)) return 'EPSG:4326';
  const match = /^EPSG:(\d+)$/i.exec(text) ?? /\/EPSG\/0\/(\d+)$/i.exec(text);
  if (!match?.[1]) {
    throw new MeridianError('RASTER_CRS_UNSUPPORTED', `"${text}" is not a CRS this server understands; use EPSG:<code> or CRS84`);
  }
  return epsgCrs(Number(match[1]));
}

export type Transform = (x: number, y: number) => [number, number];

const converters = new Map<string, proj4.Converter>();

const EARTH_RADIUS = 6378137;
const DEGREES = 180 / Math.PI;

/**
 * WGS84 ↔ Web Mercator in closed form (what proj4 computes, without its generic datum pipeline): the
 * commonest pair — every WebMercatorQuad tile of a WGS84 or Web Mercator COG — at a fraction of the cost.
 */
const CLOSED_FORM: Record<string, Transform> = {
  'EPSG:4326>EPSG:3857': (lon, lat) => [(lon / DEGREES) * EARTH_RADIUS, Math.log(Math.tan(Math.PI / 4 + lat / DEGREES / 2)) * EARTH_RADIUS],
  'EPSG:3857>EPSG:4326': (x, y) => [(x / EARTH_RADIUS) * DEGREES, (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) * DEGREES],
};

/** A point transform between two CRS names; the identity when they are the same. Converters are built once per pair. */
export function transformer(from: string, to: string): Transform {
  if (from === to) return (x, y) => [x, y];
  const key = `${from}>${to}`;
  const closed = CLOSED_FORM[key];
  if (closed) return closed;
  let converter = converters.get(key);
  if (!converter) converters.set(key, (converter = proj4(from, to)));
  const forward = converter;
  return (x, y) => {
    const [tx, ty] = forward.forward([x, y]) as [number, number];
    return [tx, ty];
  };
}

/** Transforms a bounding box by densifying its edges (21 points per edge), as GDAL does. */
export function transformBounds(bounds: [number, number, number, number], from: string, to: string): [number, number, number, number] {
  const forward = transformer(from, to);
  const [minX, minY, maxX, maxY] = bounds;
  let outMinX = Infinity, outMinY = Infinity, outMaxX = -Infinity, outMaxY = -Infinity;
  const steps = 20;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const x = minX + (maxX - minX) * t;
    const y = minY + (maxY - minY) * t;
    for (const [px, py] of [[x, minY], [x, maxY], [minX, y], [maxX, y]] as const) {
      const [tx, ty] = forward(px, py);
      if (!Number.isFinite(tx) || !Number.isFinite(ty)) continue;
      outMinX = Math.min(outMinX, tx); outMaxX = Math.max(outMaxX, tx);
      outMinY = Math.min(outMinY, ty); outMaxY = Math.max(outMaxY, ty);
    }
  }
  return [outMinX, outMinY, outMaxX, outMaxY];
}
