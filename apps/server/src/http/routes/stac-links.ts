/**
 * Absolute links of the STAC API, built from the address the request came in on, and the documents as
 * served: stored collections and items plus the links the API generates for them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GEOJSON, JSON_TYPE, QUERYABLES_REL, SCHEMA_JSON, link } from '../links.ts';
export { GEOJSON, JSON_TYPE, QUERYABLES_REL, SCHEMA_JSON, link, selfWith } from '../links.ts';
import type { JsonObject, StacCollection, StacItem } from '@meridian/stac';

export const STAC_VERSION = '1.1.0';

export interface Link extends JsonObject {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

export function stacRoot(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/api/stac`;
}

export function collectionUrl(request: FastifyRequest, collectionId: string): string {
  return `${stacRoot(request)}/collections/${encodeURIComponent(collectionId)}`;
}

export function itemUrl(request: FastifyRequest, collectionId: string, itemId: string): string {
  return `${collectionUrl(request, collectionId)}/items/${encodeURIComponent(itemId)}`;
}

/** An item as served: its stored links plus self, parent, collection and root. */
export function servedItem(request: FastifyRequest, item: StacItem): StacItem {
  const collectionId = String(item.collection);
  const collection = collectionUrl(request, collectionId);
  const stored = Array.isArray(item.links) ? (item.links as Link[]) : [];
  return {
    ...item,
    links: [
      link(itemUrl(request, collectionId, item.id), 'self', GEOJSON),
      link(collection, 'parent', JSON_TYPE),
      link(collection, 'collection', JSON_TYPE),
      link(stacRoot(request), 'root', JSON_TYPE),
      ...stored,
    ],
  };
}

/** A collection as served: its stored links plus self, root, parent, items, queryables and aggregation. */
export function servedCollection(request: FastifyRequest, collection: StacCollection): StacCollection {
  const base = collectionUrl(request, collection.id);
  const root = stacRoot(request);
  const stored = Array.isArray(collection.links) ? (collection.links as Link[]) : [];
  return {
    ...collection,
    links: [
      link(base, 'self', JSON_TYPE),
      link(root, 'root', JSON_TYPE),
      link(root, 'parent', JSON_TYPE),
      link(`${base}/items`, 'items', GEOJSON, 'Items'),
      link(`${base}/queryables`, QUERYABLES_REL, SCHEMA_JSON, 'Queryables'),
      link(`${base}/aggregate`, 'aggregate', JSON_TYPE, 'Aggregate'),
      link(`${base}/aggregations`, 'aggregations', JSON_TYPE, 'Available aggregations'),
      ...stored,
    ],
  };
}

/** Sends a document as JSON text of the given media type (the response schemas only document it). */
export function sendJson(reply: FastifyReply, type: string, document: unknown): FastifyReply {
  return reply.type(type).send(JSON.stringify(document));
}
