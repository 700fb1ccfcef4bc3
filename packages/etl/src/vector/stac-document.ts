/**
 * The STAC documents of published vector tables: one item per table in the `system-vectors` collection
 * (or the one the job names), with the table's extent and time span, its columns, the platform's
 * identifiers as `platform:*` properties, and links to the OGC API Features collection and its tiles.
 */
import { featuresCollectionHref, type StacCollection, type StacItem } from '@meridian/stac';
import type { Bbox, TableStats } from './table-build.ts';

export const STAC_VERSION = '1.0.0';

/** The world, for a table without geometries' extent (it cannot be published empty, but the type allows it). */
const WORLD: Bbox = [-180, -90, 180, 90];

export interface VectorItemInput {
  id: string;
  collection: string;
  table: string;
  title: string;
  description: string;
  geometryType: string;
  stats: TableStats;
  columns: { name: string; type: string; original_name: string }[];
  sourceCrs: string;
  source: { container: string; blob: string };
  revision: number;
  clientRefs: Record<string, string>;
  publicUrl: string;
  /** When the load published the table (the item's datetime when the data has no time span). */
  now: string;
}

function footprint([w, s, e, n]: Bbox): Record<string, unknown> {
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

export function vectorItem(input: VectorItemInput): StacItem {
  const bbox = input.stats.bbox ?? WORLD;
  const collectionUrl = featuresCollectionHref(input.publicUrl, input.table);
  const { temporalStart: start, temporalEnd: end } = input.stats;
  const time = start && end
    ? { datetime: null, start_datetime: start.toISOString(), end_datetime: end.toISOString() }
    : { datetime: input.now };
  const platform = Object.fromEntries(Object.entries(input.clientRefs).map(([k, v]) => [`platform:${k}`, v]));
  return {
    type: 'Feature',
    stac_version: STAC_VERSION,
    stac_extensions: [],
    id: input.id,
    collection: input.collection,
    geometry: footprint(bbox),
    bbox,
    properties: {
      title: input.title,
      ...(input.description ? { description: input.description } : {}),
      ...time,
      created: input.now,
      updated: input.now,
      'vector:schema': 'geo',
      'vector:table': input.table,
      'vector:geometry_type': input.geometryType,
      'vector:feature_count': input.stats.rowCount,
      'vector:source_crs': input.sourceCrs,
      'vector:columns': input.columns,
      'vector:revision': input.revision,
      'vector:source': `${input.source.container}/${input.source.blob}`,
      ...platform,
    },
    links: [
      { rel: 'items', href: `${collectionUrl}/items`, type: 'application/geo+json', title: 'Features (OGC API Features)' },
      { rel: 'http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector', href: `${collectionUrl}/tiles/WebMercatorQuad`, type: 'application/json', title: 'Vector tiles (TileJSON)' },
    ],
    assets: {
      features: { href: collectionUrl, type: 'application/json', title: 'OGC API Features collection', roles: ['data'] },
      tiles: { href: `${collectionUrl}/tiles/WebMercatorQuad/{z}/{x}/{y}.pbf`, type: 'application/vnd.mapbox-vector-tile', title: 'Vector tiles (WebMercatorQuad)', roles: ['tiles'] },
    },
  };
}

/** The collection a first vector item creates when it does not exist. */
export function vectorCollection(id: string): StacCollection {
  return {
    type: 'Collection',
    stac_version: STAC_VERSION,
    stac_extensions: [],
    id,
    title: 'Vector tables',
    description: 'Vector tables loaded into PostGIS and served as OGC API Features and vector tiles.',
    license: 'proprietary',
    extent: { spatial: { bbox: [WORLD] }, temporal: { interval: [[null, null]] } },
    links: [],
  };
}
