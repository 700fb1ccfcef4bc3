/**
 * The STAC API at /api/stac: the landing page (a Catalog with conformsTo), conformance and the API
 * definition here; collections, items, search, queryables, aggregation, transactions and the consistency
 * report in their modules. `conformsTo` lists exactly what the registered modules declare, so a read-only
 * process (no transaction routes) does not claim the transaction extensions.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_COLLECTION_LIMIT, searchCollections } from '@meridian/stac';
import { ogcErrorHandler, ogcNotFoundHandler } from '../ogc-errors.ts';
import { GEOJSON, JSON_TYPE, QUERYABLES_REL, SCHEMA_JSON, STAC_VERSION, collectionUrl, link, sendJson, stacRoot } from './stac-links.ts';
import { CatalogDocument, ConformanceDocument, OpenApiDocument } from './stac-schemas.ts';
import type { StacModule, StacRouteOptions } from './stac-module.ts';
import { stacAggregationModule } from './stac-aggregation.ts';
import { stacCollectionsModule } from './stac-collections.ts';
import { stacConsistencyModule } from './stac-consistency.ts';
import { stacItemsModule } from './stac-items.ts';
import { stacQueryablesModule } from './stac-queryables.ts';
import { stacSearchModule } from './stac-search.ts';
import { stacTransactionsModule } from './stac-transactions.ts';

const CORE_CONFORMANCE = ['https://api.stacspec.org/v1.0.0/core'];
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.1';

export interface StacRoutesOptions extends StacRouteOptions {
  /** Register the transaction routes (not in a read-only process). */
  writable: boolean;
}

export const stacRoutes: FastifyPluginAsyncTypebox<StacRoutesOptions> = async (app, { runtime, visibility, writable }) => {
  app.setErrorHandler(ogcErrorHandler);
  app.setNotFoundHandler(ogcNotFoundHandler);

  const modules: StacModule[] = [
    stacCollectionsModule, stacItemsModule, stacSearchModule, stacQueryablesModule, stacAggregationModule, stacConsistencyModule,
    ...(writable ? [stacTransactionsModule] : []),
  ];
  const conformance = [...new Set([...CORE_CONFORMANCE, ...modules.flatMap((m) => m.conformance)])];

  app.get('/', {
    schema: { tags: ['stac'], summary: 'STAC API landing page', response: { 200: CatalogDocument } },
  }, async (request, reply) => {
    const root = stacRoot(request);
    const search = `${root}/search`;
    const collections = await searchCollections(runtime.db, { limit: MAX_COLLECTION_LIMIT }, visibility(request));
    return sendJson(reply, JSON_TYPE, {
      type: 'Catalog',
      stac_version: STAC_VERSION,
      id: 'meridian',
      title: 'Meridian STAC API',
      description: 'Every dataset Meridian publishes — vector tables, rasters, arrays — as STAC collections and items.',
      conformsTo: conformance,
      links: [
        link(root, 'self', JSON_TYPE, 'This catalog'),
        link(root, 'root', JSON_TYPE, 'This catalog'),
        link(`${root}/conformance`, 'conformance', JSON_TYPE, 'Conformance classes'),
        link(`${root}/api`, 'service-desc', OPENAPI_TYPE, 'The API definition'),
        link(`${request.protocol}://${request.host}/api/docs/`, 'service-doc', 'text/html', 'The API documentation'),
        link(`${root}/collections`, 'data', JSON_TYPE, 'Collections'),
        { ...link(search, 'search', GEOJSON, 'Item search'), method: 'GET' },
        { ...link(search, 'search', GEOJSON, 'Item search'), method: 'POST' },
        link(`${root}/queryables`, QUERYABLES_REL, SCHEMA_JSON, 'Queryables'),
        { ...link(`${root}/aggregate`, 'aggregate', JSON_TYPE, 'Aggregate'), method: 'GET' },
        link(`${root}/aggregations`, 'aggregations', JSON_TYPE, 'Available aggregations'),
        ...collections.collections.map(({ collection }) => link(collectionUrl(request, collection.id), 'child', JSON_TYPE, String(collection.title ?? collection.id))),
      ],
    });
  });

  app.get('/conformance', {
    schema: { tags: ['stac'], summary: 'The conformance classes this API implements', response: { 200: ConformanceDocument } },
  }, async (_request, reply) => sendJson(reply, JSON_TYPE, { conformsTo: conformance }));

  app.get('/api', {
    schema: { tags: ['stac'], summary: 'The OpenAPI definition of this API', response: { 200: OpenApiDocument } },
  }, async (_request, reply) => sendJson(reply, OPENAPI_TYPE, app.swagger()));

  for (const module of modules) await app.register(module.routes, { runtime, visibility });
};
