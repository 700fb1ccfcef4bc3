/** Absolute links for OGC API Features documents, built from the address the request came in on. */
import type { FastifyRequest } from 'fastify';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
  templated?: boolean;
}

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const SCHEMA_JSON = 'application/schema+json';
export const MVT = 'application/vnd.mapbox-vector-tile';
export const QUERYABLES_REL = 'http://www.opengis.net/def/rel/ogc/1.0/queryables';

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

/** The request's own URL with some query parameters replaced, keeping the others exactly as sent. */
export function selfWith(request: FastifyRequest, changes: Record<string, string>): string {
  const [path, search = ''] = request.url.split('?', 2) as [string, string?];
  const query = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) query.set(name, value);
  const text = query.toString();
  return `${request.protocol}://${request.host}${path}${text ? `?${text}` : ''}`;
}

export function link(href: string, rel: string, type: string, title?: string): Link {
  return { href, rel, type, ...(title ? { title } : {}) };
}
