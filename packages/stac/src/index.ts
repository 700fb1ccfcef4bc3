/**
 * Meridian's STAC catalog: the one repository of collections and items (validated on every write), item
 * and collection search, aggregation, queryables, registered mosaic searches and the consistency checker
 * that compares the catalog with the data it describes.
 */
export * from './types.ts';
export { validateStac } from './validation/validator.ts';
export { EXTENSION_URIS } from './validation/extension-schemas.ts';
export { featuresCollectionHref, meridianTargets, parseMeridianHref, storageHref, type MeridianHref } from './hrefs.ts';
export {
  createCollection, deleteCollection, ensureCollection, getCollection, patchCollection, queryablesOf, replaceCollection, requireCollection,
  setCollectionClassification, upsertCollection,
} from './collections.ts';
export { recomputeCollectionExtent } from './collection-extent.ts';
export {
  DEFAULT_COLLECTION_LIMIT, MAX_COLLECTION_LIMIT, parseCollectionSearch, searchCollections, type CollectionPage, type CollectionSearch,
} from './collection-search.ts';
export {
  MAX_BATCH_ITEMS, deleteItem, getItem, insertItems, patchItem, replaceItem, setItemClassification, upsertItems,
} from './items.ts';
export { CORE_QUERYABLES, type Queryables, type QueryableSchema } from './queryables.ts';
export {
  DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, parseSearchBody, parseSearchQuery, type FieldsSpec, type SearchRequest, type SortField,
} from './search/request.ts';
export { searchItems, type SearchPage } from './search/execute.ts';
export { applyFields } from './search/fields.ts';
export {
  aggregateItems, availableAggregations, parseAggregateBody, parseAggregateQuery, type Aggregation, type AggregationDescription,
  type AggregateRequest,
} from './aggregate.ts';
export { getRegisteredSearch, registerSearch, registeredSearchItems, searchIdOf, type RegisteredSearch } from './searches.ts';
export { runConsistencyCheck, latestConsistencyReport } from './consistency/checker.ts';
export { CATALOG_JOB_TYPES, CONSISTENCY_TASK_TYPE, catalogConsistencyJob, catalogTaskHandlers, consistencySources, type CatalogDeps } from './consistency/job.ts';
export { VECTOR_COLLECTION_ID } from './consistency/vector-source.ts';
export type { RebuildRasterItem } from './consistency/raster-source.ts';
export type { CheckContext, ConsistencyReport, ConsistencySource, Finding } from './consistency/types.ts';
