/**
 * The serving side of vector data: the catalog of published tables, CQL2 → SQL, OGC API Features queries
 * and vector tiles.
 */
export * from './cql2-sql/index.ts';
export { CRS84, EPSG_3857, EPSG_4326, DEFAULT_CRS, SUPPORTED_CRS, parseCrs, type CrsDefinition } from './crs.ts';
export { SqlParams } from './sql-params.ts';
export { GEOMETRY_PROPERTY } from './collection-properties.ts';
export { DEFAULT_LIMIT, ITEMS_PARAMETERS, MAX_LIMIT, parseItemsQuery, type ItemsQuery, type SortKey } from './items-params.ts';
export { EXACT_COUNT_THRESHOLD, evaluate, queryFeature, queryItems, type ItemsPage } from './features-query.ts';
export { plannerRows } from './planner-estimate.ts';
export { bboxSql } from './bbox-sql.ts';
export { instantLiteral, parseDatetime } from './datetime.ts';
export { queryablesSchema } from './queryables.ts';
export { MAX_TILE_BYTES, renderTile } from './vector-tiles.ts';
export { VectorTileCache } from './tile-cache.ts';
export { MAX_ZOOM, MIN_ZOOM, TILE_MATRIX_SET, checkTileAddress, type TileAddress } from './tile-matrix.ts';
export { tileJson } from './tilejson.ts';
export { STALE, catalogGuardSql, isCurrent, withVisibleCollection, type Stale } from './collection-cache.ts';
export {
  getVisibleCollection, listVisibleCollections, setTableServed, upsertVectorTable,
  type AccessLevel, type GeometryType, type PublishedColumn, type VectorCollection, type VectorTableEntry,
} from './vector-catalog.ts';
