/** The search columns of catalog.collections, derived from a (validated) collection document. */
import { collectionQueryables, type Queryables } from './queryables.ts';
import type { StacCollection } from './types.ts';

export interface CollectionColumns {
  /** A GeoJSON MultiPolygon of the extent boxes (antimeridian-crossing boxes split in two), or null. */
  spatialExtent: string | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  searchText: string;
  queryables: Queryables;
}

function envelope(west: number, south: number, east: number, north: number): number[][][] {
  return [[[west, south], [east, south], [east, north], [west, north], [west, south]]];
}

function spatialExtent(bboxes: number[][]): string | null {
  const polygons: number[][][][] = [];
  for (const bbox of bboxes) {
    const half = bbox.length / 2;
    const [west, south, east, north] = [bbox[0]!, bbox[1]!, bbox[half]!, bbox[half + 1]!];
    if (west <= east) polygons.push(envelope(west, south, east, north));
    else polygons.push(envelope(west, south, 180, north), envelope(-180, south, east, north));
  }
  return polygons.length === 0 ? null : JSON.stringify({ type: 'MultiPolygon', coordinates: polygons });
}

/** The overall span of the temporal intervals; null is an open end. */
function temporalSpan(intervals: (string | null)[][]): [string | null, string | null] {
  if (intervals.length === 0) return [null, null];
  const starts = intervals.map((i) => i[0] ?? null);
  const ends = intervals.map((i) => i[1] ?? null);
  const earliest = starts.includes(null) ? null : starts.reduce((a, b) => (Date.parse(a!) <= Date.parse(b!) ? a : b));
  const latest = ends.includes(null) ? null : ends.reduce((a, b) => (Date.parse(a!) >= Date.parse(b!) ? a : b));
  return [earliest, latest];
}

export function collectionColumns(collection: StacCollection): CollectionColumns {
  const extent = collection.extent as { spatial: { bbox: number[][] }; temporal: { interval: (string | null)[][] } };
  const [temporalStart, temporalEnd] = temporalSpan(extent.temporal.interval);
  const keywords = Array.isArray(collection.keywords) ? (collection.keywords as string[]) : [];
  const text = [collection.id, collection.title, collection.description, ...keywords].filter((t) => typeof t === 'string');
  return {
    spatialExtent: spatialExtent(extent.spatial.bbox),
    temporalStart,
    temporalEnd,
    searchText: text.join('\n').toLowerCase(),
    queryables: collectionQueryables(collection),
  };
}
