/** Absolute links for OGC API Features documents, built from the address the request came in on. */
import type { FastifyRequest } from 'fastify';
export { GEOJSON, JSON_TYPE, QUERYABLES_REL, SCHEMA_JSON, link, selfWith } from '../links.ts';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
  templated?: boolean;
}

export const MVT = 'application/vnd.mapbox-vector-tile';

/**
 * The API's root URL as the client reached it (Host header; X-Forwarded-* when Fastify trusts a proxy),
 * so links work whichever name or port the client used, including an ephemeral test port.
 */
export function featuresRoot(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/api/features`;
}

export function collectionUrl(request: FastifyRequest, collectionId: string): string {
  return `${featuresRoot(request)}/collections/${encodeURIComponent(collectionId)}`;
}

