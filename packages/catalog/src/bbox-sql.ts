/** A bbox as a SQL polygon in storage coordinates (CRS84, SRID 4326), whatever CRS it was given in. */
import type { CrsDefinition } from './crs.ts';
import type { SqlParams } from './sql-params.ts';

/**
 * `bbox` holds 4 numbers, or 6 (with heights, which are ignored), in the axis order of `crs`. A CRS84 box
 * whose west edge is east of its east edge crosses the antimeridian and becomes two boxes.
 */
export function bboxSql(bbox: readonly number[], crs: CrsDefinition, params: SqlParams): string {
  const corners = bbox.length === 6 ? [bbox[0]!, bbox[1]!, bbox[3]!, bbox[4]!] : bbox.slice(0, 4);
  const [a, b, c, d] = corners as [number, number, number, number];
  const num = (value: number) => `${params.add(value)}::double precision`;
  if (crs.srid !== 4326) return `ST_Transform(ST_MakeEnvelope(${num(a)}, ${num(b)}, ${num(c)}, ${num(d)}, ${crs.srid}), 4326)`;
  const [west, south, east, north] = crs.latitudeFirst ? [b, a, d, c] : [a, b, c, d];
  const envelope = (w: string, e: string) => `ST_MakeEnvelope(${w}, ${num(south)}, ${e}, ${num(north)}, 4326)`;
  if (west <= east) return envelope(num(west), num(east));
  return `ST_Collect(${envelope(num(west), '180')}, ${envelope('-180', num(east))})`;
}
