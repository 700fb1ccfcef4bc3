/** Decodes a Mapbox Vector Tile with an independent reader (@mapbox/vector-tile), for assertions. */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export interface DecodedFeature {
  id: number | undefined;
  /** 1 point, 2 line, 3 polygon. */
  type: number;
  properties: Record<string, number | string | boolean>;
  /** Rings/lines/points in tile units. */
  rings: [number, number][][];
}

export function decodeTile(bytes: Uint8Array): Record<string, { extent: number; features: DecodedFeature[] }> {
  const tile = new VectorTile(new PbfReader(bytes));
  const layers: Record<string, { extent: number; features: DecodedFeature[] }> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const feature = layer.feature(i);
      features.push({
        id: feature.id,
        type: feature.type,
        properties: { ...feature.properties },
        rings: feature.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y] as [number, number])),
      });
    }
    layers[name] = { extent: layer.extent, features };
  }
  return layers;
}

/** The surveyor's-formula area MVT uses to tell exterior rings (positive) from holes (negative). */
export function ringArea(ring: readonly [number, number][]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  return sum / 2;
}
