/**
 * Vector tiles without ST_AsMVT (the embedded PostGIS is built without protobuf-c): PostgreSQL does the
 * geometry work ST_AsMVTGeom would do — transform to tile units, snap to the grid, make polygons valid and
 * wind them as MVT requires — and the protobuf is written here with @maplibre/vt-pbf.
 */
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { SqlParams } from './sql-params.ts';
import { TILE_EXTENT, tileBounds, type TileAddress } from './tile-matrix.ts';

/**
 * SQL taking a geometry in EPSG:3857 to integer tile units (y down). Exterior rings end up with a positive
 * surveyor's-formula area in tile units, which is what MVT 2.1 §4.3.4.4 calls clockwise.
 */
export function tileUnitsSql(mercatorSql: string, tile: TileAddress, params: SqlParams): string {
  const [minX, , maxX, maxY] = tileBounds(tile);
  const scale = TILE_EXTENT / (maxX - minX);
  const num = (value: number) => `${params.add(value)}::double precision`;
  const snapped = `ST_RemoveRepeatedPoints(ST_SnapToGrid(ST_Affine(${mercatorSql}, ${num(scale)}, 0, 0, ${num(-scale)}, ${num(-minX * scale)}, ${num(maxY * scale)}), 1))`;
  return `(SELECT CASE ST_Dimension(g) WHEN 2 THEN ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(g), 3)) ELSE g END FROM (SELECT ${snapped} AS g) AS snapped)`;
}

type Position = [number, number];
type GeoJsonGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint' | 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString' | 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: GeoJsonGeometry[] };

interface TileFeature {
  type: 1 | 2 | 3;
  geometry: Position[] | Position[][];
  tags: Record<string, string | number | boolean>;
  id?: number;
}

/** GeoJSON in tile units → the geojson-vt feature shape vt-pbf writes (points: a list; lines/rings: lists of lists). */
function shapeOf(geometry: GeoJsonGeometry): Pick<TileFeature, 'type' | 'geometry'> | undefined {
  switch (geometry.type) {
    case 'Point':
      return { type: 1, geometry: [geometry.coordinates] };
    case 'MultiPoint':
      return { type: 1, geometry: geometry.coordinates };
    case 'LineString':
      return { type: 2, geometry: [geometry.coordinates] };
    case 'MultiLineString':
      return { type: 2, geometry: geometry.coordinates };
    case 'Polygon':
      return { type: 3, geometry: geometry.coordinates };
    case 'MultiPolygon':
      return { type: 3, geometry: geometry.coordinates.flat() };
    case 'GeometryCollection':
      return undefined;
  }
}

export interface EncodedRow {
  /** The geometry in tile units, as GeoJSON text; null when it vanished on the tile grid. */
  geometry: string | null;
  id: number | undefined;
  attributes: Record<string, unknown>;
}

/** The MVT bytes of one layer, or undefined when no feature has a drawable geometry. */
export function encodeLayer(layer: string, rows: readonly EncodedRow[]): Buffer | undefined {
  const features: TileFeature[] = [];
  for (const row of rows) {
    const shape = row.geometry === null ? undefined : shapeOf(JSON.parse(row.geometry) as GeoJsonGeometry);
    if (!shape || shape.geometry.length === 0) continue;
    const tags: TileFeature['tags'] = {};
    for (const [key, value] of Object.entries(row.attributes)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') tags[key] = value;
    }
    features.push({ ...shape, tags, ...(row.id !== undefined ? { id: row.id } : {}) });
  }
  if (features.length === 0) return undefined;
  const bytes = fromGeojsonVt({ [layer]: { features } } as unknown as Parameters<typeof fromGeojsonVt>[0], { version: 2, extent: TILE_EXTENT });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
