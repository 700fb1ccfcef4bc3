/**
 * The coordinate reference systems OGC API Features Part 2 lets a caller ask for. Stored geometries are
 * always EPSG:4326 with longitude first (PostGIS order), which is CRS84; EPSG:4326 as the standard defines
 * it has latitude first, so answering in it swaps the axes.
 */
import { MeridianError } from '@meridian/core';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const EPSG_4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
export const EPSG_3857 = 'http://www.opengis.net/def/crs/EPSG/0/3857';

export interface CrsDefinition {
  uri: string;
  srid: number;
  /** True when the CRS's first axis is latitude (EPSG:4326), so coordinates are swapped against storage. */
  latitudeFirst: boolean;
  /** Decimal places worth writing: ~0.1 mm in degrees, 1 mm in metres. */
  decimals: number;
}

const DEFINITIONS: readonly CrsDefinition[] = [
  { uri: CRS84, srid: 4326, latitudeFirst: false, decimals: 9 },
  { uri: EPSG_4326, srid: 4326, latitudeFirst: true, decimals: 9 },
  { uri: EPSG_3857, srid: 3857, latitudeFirst: false, decimals: 3 },
];

export const DEFAULT_CRS: CrsDefinition = DEFINITIONS[0]!;
export const SUPPORTED_CRS: readonly string[] = DEFINITIONS.map((d) => d.uri);

/** The definition for a `crs`, `bbox-crs` or `filter-crs` value; absent means CRS84. */
export function parseCrs(value: string | undefined, parameter: string): CrsDefinition {
  if (value === undefined) return DEFAULT_CRS;
  // Part 2 allows the URI in angle brackets (as the Content-Crs header writes it).
  const uri = value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : value;
  const definition = DEFINITIONS.find((d) => d.uri === uri);
  if (!definition) {
    throw new MeridianError('INVALID_CRS', `${parameter}: "${value.slice(0, 200)}" is not supported; use one of ${SUPPORTED_CRS.join(', ')}`, { parameter });
  }
  return definition;
}

/** SQL turning a geometry whose coordinates are in `crs` into storage coordinates (CRS84, SRID 4326). */
export function toStorageSql(geometrySql: string, crs: CrsDefinition): string {
  const withSrid = `ST_SetSRID(${geometrySql}, ${crs.srid})`;
  if (crs.srid !== 4326) return `ST_Transform(${withSrid}, 4326)`;
  return crs.latitudeFirst ? `ST_FlipCoordinates(${withSrid})` : withSrid;
}

/** SQL turning a stored geometry into `crs` coordinates for output. */
export function fromStorageSql(geometrySql: string, crs: CrsDefinition): string {
  if (crs.srid !== 4326) return `ST_Transform(${geometrySql}, ${crs.srid})`;
  return crs.latitudeFirst ? `ST_FlipCoordinates(${geometrySql})` : geometrySql;
}
