/**
 * Mapbox Vector Tiles of a collection on the WebMercatorQuad grid. PostgreSQL encodes them with
 * ST_AsMVT; the embedded database, whose PostGIS lacks ST_AsMVT, goes through mvt-encode.ts. Both select
 * the same features (tile-plan.ts) with the same attribute values.
 */
import { ident, type Db, type Visibility } from '@meridian/db';
import { STALE, catalogGuardSql, type Stale } from './collection-cache.ts';
import { columnRef } from './collection-properties.ts';
import { encodeLayer, tileUnitsSql, type EncodedRow } from './mvt-encode.ts';
import { SqlParams } from './sql-params.ts';
import { TILE_BUFFER, TILE_EXTENT, checkTileAddress, tileBounds, tileUnit, type TileAddress } from './tile-matrix.ts';
import { TILE_FEATURE_BUDGET, candidatesSql, clipEnvelopeSql, isPointCollection, plannerCount, planTile, type TilePlan } from './tile-plan.ts';
import type { VectorCollection } from './vector-catalog.ts';

/** The size a tile must stay under (a low-zoom tile of a big table is thinned until it does). */
export const MAX_TILE_BYTES = 500 * 1024;
/** Renders per tile at most: the first try, and up to two with a budget cut by the measured overshoot. */
const MAX_ATTEMPTS = 3;

/** Not column names the ETL can produce (they contain "-"), so they never clash with an attribute. */
const ID_ALIAS = ident('mvt-id');
const GEOM_ALIAS = ident('mvt-geom');
const FRESH_ALIAS = ident('mvt-fresh');

/** A render: the tile's bytes (undefined when empty), or STALE when the catalog guard failed. */
type Rendered = Buffer | undefined | Stale;

interface TileQuery {
  /** SELECT list entries: the feature id and the attributes. */
  columns: string[];
  mercator: string;
  from: string;
  where: string;
}

function tileQuery(collection: VectorCollection, tile: TileAddress, plan: TilePlan, params: SqlParams): TileQuery {
  const clip = clipEnvelopeSql(tile, params);
  const geom = columnRef(collection.geometryColumn);
  // Clipping to the buffered tile in degrees first keeps ST_Transform away from the poles and from the
  // parts of a large polygon that lie outside the tile.
  const mercator = isPointCollection(collection)
    ? `ST_Transform(${geom}, 3857)`
    : `ST_Simplify(ST_Transform(ST_ClipByBox2D(${geom}, ${clip}), 3857), ${params.add(tileUnit(tile))}::double precision)`;
  // Integer ids become MVT feature ids; other ids can only travel as an attribute.
  const id = collection.integerIds
    ? `${columnRef(collection.idColumn)} AS ${ID_ALIAS}`
    : `(${columnRef(collection.idColumn)})::text AS ${ident(collection.idColumn)}`;
  const attributes = collection.columns.map((c) => `${c.spec.tileSql(columnRef(c.name))} AS ${ident(c.name)}`);
  return { columns: [id, ...attributes], mercator, ...candidatesSql(collection, tile, plan, clip, params) };
}

/**
 * The guard (collection-cache.ts) runs once, before the features: `g.fresh` gates the candidates, and the
 * statement always returns it in its first row, whether the tile is empty or not.
 */
function guarded(guard: string, select: string): string {
  return `SELECT g.fresh AS ${FRESH_ALIAS}, f.* FROM (SELECT ${guard} AS fresh) AS g LEFT JOIN LATERAL (${select}) AS f ON true`;
}

async function postgisTile(db: Db, collection: VectorCollection, tile: TileAddress, plan: TilePlan, visibility: Visibility): Promise<Rendered> {
  const params = new SqlParams();
  const q = tileQuery(collection, tile, plan, params);
  const envelope = `ST_MakeEnvelope(${tileBounds(tile).map((v) => `${params.add(v)}::double precision`).join(', ')}, 3857)`;
  const layer = `${params.add(collection.id)}::text`;
  const idArgument = collection.integerIds ? `, 'mvt-id'` : '';
  // ST_AsMVT skips rows whose geometry ST_AsMVTGeom dropped (NULL); filtering them in SQL would make
  // PostgreSQL compute ST_AsMVTGeom twice per row.
  const select = `SELECT ST_AsMVT(m, ${layer}, ${TILE_EXTENT}, 'mvt-geom'${idArgument}) AS tile FROM (
      SELECT ${q.columns.join(', ')}, ST_AsMVTGeom(${q.mercator}, ${envelope}, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS ${GEOM_ALIAS}
        FROM ${q.from} WHERE g.fresh AND ${q.where}) AS m`;
  const sql = guarded(catalogGuardSql(collection, visibility, params), select);
  // Prepared: a collection has a handful of tile statement texts (visibility, thinning), and the plan (an
  // index scan of the tile's box) does not hinge on which tile it is; saves ~10 % of the database's work.
  const { rows } = await db.query<{ 'mvt-fresh': boolean; tile: Buffer | null }>(sql, params.values, { prepare: true });
  if (!rows[0]!['mvt-fresh']) return STALE;
  const bytes = rows[0]!.tile;
  return bytes && bytes.length > 0 ? bytes : undefined;
}

async function encodedTile(db: Db, collection: VectorCollection, tile: TileAddress, plan: TilePlan, visibility: Visibility): Promise<Rendered> {
  const params = new SqlParams();
  const q = tileQuery(collection, tile, plan, params);
  const select = `SELECT ${q.columns.join(', ')}, ST_AsGeoJSON(${tileUnitsSql(q.mercator, tile, params)}, 0) AS ${GEOM_ALIAS} FROM ${q.from} WHERE g.fresh AND ${q.where}`;
  const sql = guarded(catalogGuardSql(collection, visibility, params), select);
  const { rows } = await db.query<Record<string, unknown>>(sql, params.values);
  if (!rows[0]!['mvt-fresh']) return STALE;
  // Without features, the LEFT JOIN leaves one row of NULLs, which the encoder skips (no geometry).
  const encoded: EncodedRow[] = rows.map((row) => {
    const { 'mvt-fresh': _fresh, 'mvt-geom': geometry, 'mvt-id': id, ...attributes } = row;
    return { geometry: geometry as string | null, id: typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined, attributes };
  });
  return encodeLayer(collection.id, encoded);
}

/**
 * The tile's MVT bytes (one layer named after the collection), undefined when it is empty, or STALE when
 * `collection` is no longer the current catalog entry visible to `visibility`.
 */
export async function renderTile(db: Db, collection: VectorCollection, tile: TileAddress, visibility: Visibility): Promise<Rendered> {
  checkTileAddress(tile);
  const render = db.kind === 'postgres' ? postgisTile : encodedTile;
  let plan = await planTile(db, collection, tile, TILE_FEATURE_BUDGET);
  for (let attempt = 1; ; attempt++) {
    const bytes = await render(db, collection, tile, plan, visibility);
    if (bytes === STALE || bytes === undefined || bytes.length <= MAX_TILE_BYTES || attempt === MAX_ATTEMPTS) return bytes;
    // Too big: cut the budget by the overshoot (with a margin), measured against a real estimate.
    const expected = Math.max(plan.expected, await plannerCount(db, collection, tile));
    plan = { expected, budget: Math.max(1, Math.floor((Math.min(plan.budget, expected) * 0.9 * MAX_TILE_BYTES) / bytes.length)) };
  }
}
