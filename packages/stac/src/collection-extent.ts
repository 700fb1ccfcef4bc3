/**
 * Keeping a collection's extent around its items: item writes widen extent.spatial.bbox[0] and
 * extent.temporal.interval[0] to cover what was written (an open temporal end stays open). Deletes never
 * shrink it; `recomputeCollectionExtent` does, from the items themselves.
 */
import type { Queryable } from '@meridian/db';
import { replaceCollection } from './collections.ts';
import type { ItemRow } from './documents.ts';
import type { StacCollection } from './types.ts';

type Box = [number, number, number, number];

interface Extent {
  spatial: { bbox: number[][] };
  temporal: { interval: (string | null)[][] };
}

interface Span {
  bbox: Box | null;
  start: string;
  end: string;
}

function box2d(bbox: readonly number[]): Box {
  const half = bbox.length / 2;
  return [bbox[0]!, bbox[1]!, bbox[half]!, bbox[half + 1]!];
}

/** The box covering both; a box crossing the antimeridian (west > east) makes it span every longitude. */
function union(a: Box, b: Box): Box {
  const [south, north] = [Math.min(a[1], b[1]), Math.max(a[3], b[3])];
  if (a[0] > a[2] || b[0] > b[2]) return [-180, south, 180, north];
  return [Math.min(a[0], b[0]), south, Math.max(a[2], b[2]), north];
}

/** The 2D box and time span covering `rows`. */
function spanOf(rows: readonly ItemRow[]): Span {
  let bbox: Box | null = null;
  let [start, end] = [rows[0]!.startDatetime, rows[0]!.endDatetime];
  for (const row of rows) {
    const itemBox = row.content.bbox as number[] | undefined;
    if (itemBox) bbox = bbox ? union(bbox, box2d(itemBox)) : box2d(itemBox);
    if (row.startDatetime < start) start = row.startDatetime;
    if (row.endDatetime > end) end = row.endDatetime;
  }
  return { bbox, start, end };
}

function withExtent(collection: StacCollection, bbox: number[], interval: (string | null)[]): StacCollection {
  const extent = collection.extent as Extent;
  return {
    ...collection,
    extent: {
      ...extent,
      spatial: { ...extent.spatial, bbox: [bbox, ...extent.spatial.bbox.slice(1)] },
      temporal: { ...extent.temporal, interval: [interval, ...extent.temporal.interval.slice(1)] },
    },
  };
}

/** The collection with its overall extent widened to `span`, or undefined when it covers it already. */
function widened(collection: StacCollection, span: Span): StacCollection | undefined {
  const extent = collection.extent as Extent;
  // The schema guarantees one bbox and one interval at least.
  const first = extent.spatial.bbox[0]!;
  const [start, end] = extent.temporal.interval[0]!;
  const bbox = span.bbox ? union(box2d(first), span.bbox) : first;
  const newStart = start === null || start === undefined ? null : Date.parse(span.start) < Date.parse(start) ? span.start : start;
  const newEnd = end === null || end === undefined ? null : Date.parse(span.end) > Date.parse(end) ? span.end : end;
  const sameBox = bbox.length === first.length && bbox.every((v, i) => v === first[i]);
  if (sameBox && newStart === (start ?? null) && newEnd === (end ?? null)) return undefined;
  return withExtent(collection, bbox, [newStart, newEnd]);
}

/**
 * Widens the collection's extent to cover `rows`; the row lock lasts until the caller's transaction ends.
 * The lock is FOR NO KEY UPDATE: it does not conflict with the KEY SHARE locks that concurrent item inserts
 * take on the collection through their foreign key, so parallel bulk inserts queue here instead of
 * deadlocking.
 */
export async function widenCollectionExtent(db: Queryable, collectionId: string, rows: readonly ItemRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { rows: found } = await db.query<{ content: StacCollection }>('SELECT content FROM catalog.collections WHERE id = $1 FOR NO KEY UPDATE', [collectionId]);
  const next = found[0] && widened(found[0].content, spanOf(rows));
  if (next) await replaceCollection(db, collectionId, next);
}

/** Sets the extent to exactly what the collection's items cover (after deletes); an empty collection keeps its extent. */
export async function recomputeCollectionExtent(db: Queryable, collectionId: string): Promise<void> {
  const { rows: found } = await db.query<{ content: StacCollection }>('SELECT content FROM catalog.collections WHERE id = $1 FOR NO KEY UPDATE', [collectionId]);
  if (!found[0]) return;
  const { rows } = await db.query<{ west: number | null; south: number; east: number; north: number; start: Date | null; end: Date }>(
    `SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north, start, "end"
       FROM (SELECT ST_Extent(geometry) AS e, min(start_datetime) AS start, max(end_datetime) AS "end"
               FROM catalog.items WHERE collection = $1) s`,
    [collectionId],
  );
  const span = rows[0]!;
  if (span.start === null) return;
  const collection = found[0].content;
  const bbox = span.west === null ? (collection.extent as Extent).spatial.bbox[0]! : [span.west, span.south, span.east, span.north];
  await replaceCollection(db, collectionId, withExtent(collection, bbox, [span.start.toISOString(), span.end.toISOString()]));
}
