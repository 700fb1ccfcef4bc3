/** Small STAC documents for the tests, built in code (no files). */
import type { StacCollection, StacItem } from '../src/index.ts';

export function collectionDoc(id: string, extra: Record<string, unknown> = {}): StacCollection {
  return {
    type: 'Collection',
    stac_version: '1.1.0',
    id,
    title: `Collection ${id}`,
    description: `Test collection ${id}`,
    license: 'CC-BY-4.0',
    extent: { spatial: { bbox: [[0, 0, 1, 1]] }, temporal: { interval: [['2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z']] } },
    links: [],
    ...extra,
  };
}

/** A small square item around (lon, lat). */
export function itemDoc(id: string, lon: number, lat: number, datetime: string | null, properties: Record<string, unknown> = {}): StacItem {
  const d = 0.01;
  return {
    type: 'Feature',
    stac_version: '1.1.0',
    id,
    geometry: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] },
    bbox: [lon - d, lat - d, lon + d, lat + d],
    properties: { datetime, ...properties },
    links: [],
    assets: {},
  };
}
