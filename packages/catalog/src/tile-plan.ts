/**
 * Which features of a collection go into one tile, shared by both tile encoders so the PostgreSQL and the
 * embedded database return the same features: those whose box meets the buffered tile, minus those
 * smaller than a tile unit at this zoom, thinned to a feature budget when the tile would hold more.
 */
import { qualified, type Queryable } from '@meridian/db';
import { columnRef, TABLE_ALIAS } from './collection-properties.ts';
import { plannerRows } from './planner-estimate.ts';
import { SqlParams } from './sql-params.ts';
import { TILE_BUFFER, tileBounds, tileUnitDegrees, toLonLat, type TileAddress } from './tile-matrix.ts';
import type { VectorCollection } from './vector-catalog.ts';

/**
 * Features per tile before thinning. Small features cost ~30 bytes in MVT, so this keeps most tiles well
 * under MAX_TILE_BYTES; the renderer lowers it for the tiles that still come out too big.
 */
export const TILE_FEATURE_BUDGET = 10_000;

export interface TilePlan {
  /** Features the tile may hold; below the expected candidate count, candidates are thinned. */
  budget: number;
  /** The planner's (or the catalog's) idea of how many features meet the tile. */
  expected: number;
}

const POINT_TYPES: ReadonlySet<string> = new Set(['Point', 'MultiPoint']);

export function isPointCollection(collection: VectorCollection): boolean {
  return POINT_TYPES.has(collection.geometryType);
}

/** The buffered tile in storage coordinates, as an envelope SQL expression. */
export function clipEnvelopeSql(tile: TileAddress, params: SqlParams): string {
  const [west, south, east, north] = toLonLat(tileBounds(tile, TILE_BUFFER));
  return `ST_MakeEnvelope(${[west, south, east, north].map((v) => `${params.add(v)}::double precision`).join(', ')}, 4326)`;
}

/** Features spread evenly over the collection's bbox would put this many into the tile. */
function uniformEstimate(collection: VectorCollection, tile: TileAddress): number | undefined {
  if (!collection.bbox) return undefined;
  const [w, s, e, n] = collection.bbox;
  const [tw, ts, te, tn] = toLonLat(tileBounds(tile, TILE_BUFFER));
  const overlap = Math.max(0, Math.min(e, te) - Math.max(w, tw)) * Math.max(0, Math.min(n, tn) - Math.max(s, ts));
  const area = Math.max(e - w, 1e-9) * Math.max(n - s, 1e-9);
  return (collection.featureCount * overlap) / area;
}

/**
 * The catalog's counts settle most tiles without asking the database; only a tile that might hold more
 * than a tenth of the budget pays for the planner's estimate (which knows how the data is clustered).
 */
export async function planTile(db: Queryable, collection: VectorCollection, tile: TileAddress, budget: number): Promise<TilePlan> {
  const uniform = uniformEstimate(collection, tile);
  if (collection.featureCount <= budget || (uniform !== undefined && uniform <= budget / 10)) {
    return { budget, expected: Math.min(collection.featureCount, Math.ceil(uniform ?? collection.featureCount)) };
  }
  return { budget, expected: await plannerCount(db, collection, tile) };
}

/** The planner's estimate of the features meeting the buffered tile (it knows how the data is clustered). */
export async function plannerCount(db: Queryable, collection: VectorCollection, tile: TileAddress): Promise<number> {
  const params = new SqlParams();
  const sql = `SELECT 1 FROM ${qualified('geo', collection.id)} AS ${TABLE_ALIAS} WHERE ${columnRef(collection.geometryColumn)} && ${clipEnvelopeSql(tile, params)}`;
  return plannerRows(db, sql, params.values);
}

/**
 * FROM and WHERE of the candidate features. When thinning is needed it picks the cheaper of two
 * deterministic ways: sampling table blocks (cost ∝ budget/expected × table size) when the tile holds
 * much of the table, or keeping every k-th feature by id hash (cost ∝ features in the tile) otherwise.
 */
export function candidatesSql(collection: VectorCollection, tile: TileAddress, plan: TilePlan, clip: string, params: SqlParams): { from: string; where: string } {
  const geom = columnRef(collection.geometryColumn);
  const conditions = [`${geom} && ${clip}`];
  if (!isPointCollection(collection)) {
    // Features smaller than a tile unit in both directions would vanish on the tile grid anyway. A degree
    // of latitude spans 1/cos(latitude) times more tile units than a degree of longitude.
    const unitDegrees = tileUnitDegrees(tile);
    const [, south, , north] = toLonLat(tileBounds(tile));
    const unitLatitude = unitDegrees * Math.cos((Math.max(Math.abs(south), Math.abs(north)) * Math.PI) / 180);
    const dimensionCheck = collection.geometryType === 'Geometry' ? `ST_Dimension(${geom}) = 0 OR ` : '';
    conditions.push(`(${dimensionCheck}ST_XMax(${geom}) - ST_XMin(${geom}) >= ${params.add(unitDegrees)}::double precision OR ST_YMax(${geom}) - ST_YMin(${geom}) >= ${params.add(unitLatitude)}::double precision)`);
  }
  let from = `${qualified('geo', collection.id)} AS ${TABLE_ALIAS}`;
  if (plan.expected > plan.budget) {
    const fraction = plan.budget / plan.expected;
    if (fraction * collection.featureCount < plan.expected) {
      from += ` TABLESAMPLE SYSTEM (${params.add(100 * fraction)}::real) REPEATABLE (0)`;
    } else {
      conditions.push(`mod(hashtext((${columnRef(collection.idColumn)})::text) & 2147483647, ${params.add(Math.ceil(1 / fraction))}::integer) = 0`);
    }
  }
  return { from, where: conditions.join(' AND ') };
}
