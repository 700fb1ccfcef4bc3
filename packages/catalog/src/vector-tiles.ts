/**
 * Mapbox Vector Tiles of a collection on the WebMercatorQuad grid. PostgreSQL encodes them with
 * ST_AsMVT; the embedded database, whose PostGIS lacks ST_AsMVT, goes through mvt-encode.ts. Both select
 * the same features (tile-plan.ts) with the same attribute values.
 */
import { ident, type Db } from '@meridian/db';
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

async function postgisTile(db: Db, collection: VectorCollection, tile: TileAddress, plan: TilePlan): Promise<Buffer | undefined> {
  const params = new SqlParams();
  const q = tileQuery(collection, tile, plan, params);
  const envelope = `ST_MakeEnvelope(${tileBounds(tile).map((v) => `${params.add(v)}::double precision`).join(', ')}, 3857)`;
  const layer = `${params.add(collection.id)}::text`;
  const idArgument = collection.integerIds ? `, 'mvt-id'` : '';
  // ST_AsMVT skips rows whose geometry ST_AsMVTGeom dropped (NULL); filtering them in SQL would make
  // PostgreSQL compute ST_AsMVTGeom twice per row.
  const sql = `SELECT ST_AsMVT(f, ${layer}, ${TILE_EXTENT}, 'mvt-geom'${idArgument}) AS tile FROM (
      SELECT ${q.columns.join(', ')}, ST_AsMVTGeom(${q.mercator}, ${envelope}, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS ${GEOM_ALIAS}
        FROM ${q.from} WHERE ${q.where}) AS f`;
  const { rows } = await db.query<{ tile: Buffer | null }>(sql, params.values);
  const bytes = rows[0]?.tile;
  return bytes && bytes.length > 0 ? bytes : undefined;
}

async function encodedTile(db: Db, collection: VectorCollection, tile: TileAddress, plan: TilePlan): Promise<Buffer | undefined> {
  const params = new SqlParams();
  const q = tileQuery(collection, tile, plan, params);
  const sql = `SELECT ${q.columns.join(', ')}, ST_AsGeoJSON(${tileUnitsSql(q.mercator, tile, params)}, 0) AS ${GEOM_ALIAS} FROM ${q.from} WHERE ${q.where}`;
  const { rows } = await db.query<Record<string, unknown>>(sql, params.values);
  const encoded: EncodedRow[] = rows.map((row) => {
    const { 'mvt-geom': geometry, 'mvt-id': id, ...attributes } = row;
    return { geometry: geometry as string | null, id: typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined, attributes };
  });
  return encodeLayer(collection.id, encoded);
}

/** The tile's MVT bytes (one layer named after the collection), or undefined when it is empty. */
export async function renderTile(db: Db, collection: VectorCollection, tile: TileAddress): Promise<Buffer | undefined> {
  checkTileAddress(tile);
  const render = db.kind === 'postgres' ? postgisTile : encodedTile;
  let plan = await planTile(db, collection, tile, TILE_FEATURE_BUDGET);
  for (let attempt = 1; ; attempt++) {
    const bytes = await render(db, collection, tile, plan);
    if (bytes === undefined || bytes.length <= MAX_TILE_BYTES || attempt === MAX_ATTEMPTS) return bytes;
    // Too big: cut the budget by the overshoot (with a margin), measured against a real estimate.
    const expected = Math.max(plan.expected, await plannerCount(db, collection, tile));
    plan = { expected, budget: Math.max(1, Math.floor((Math.min(plan.budget, expected) * 0.9 * MAX_TILE_BYTES) / bytes.length)) };
  }
}
