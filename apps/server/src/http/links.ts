/** Link building shared by the OGC API Features and STAC routes: media types and absolute links. */
import type { FastifyRequest } from 'fastify';

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const SCHEMA_JSON = 'application/schema+json';
export const QUERYABLES_REL = 'http://www.opengis.net/def/rel/ogc/1.0/queryables';

/** The request's own URL with some query parameters replaced, keeping the others exactly as sent. */
export function selfWith(request: FastifyRequest, changes: Record<string, string>): string {
  const [path, search = ''] = request.url.split('?', 2) as [string, string?];
  const query = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) query.set(name, value);
  const text = query.toString();
  return `${request.protocol}://${request.host}${path}${text ? `?${text}` : ''}`;
}

export function link(href: string, rel: string, type: string, title?: string) {
  return { href, rel, type, ...(title ? { title } : {}) };
}
