/**
 * The simple HTML view of OGC API Features (Part 1 `html` class): the same documents as the JSON ones,
 * as plain pages a person can browse, chosen by `f=html` or a browser's Accept header.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VectorCollection } from '@meridian/catalog';
import type { Link } from './features-links.ts';

export const HTML_CONFORMANCE = ['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html'];

interface LinksDocument {
  title?: string;
  description?: string;
  links: Link[];
}

interface CollectionDocument extends LinksDocument {
  id: string;
  title: string;
  description: string;
}

export type HtmlPage =
  | { page: 'landing'; document: LinksDocument }
  | { page: 'conformance'; conformsTo: readonly string[] }
  | { page: 'collections'; document: { links: Link[]; collections: CollectionDocument[] } }
  | { page: 'collection'; document: CollectionDocument }
  | { page: 'items'; collection: VectorCollection; links: Link[]; featuresJson: string; numberMatched: number }
  | { page: 'feature'; collection: VectorCollection; feature: Record<string, unknown> };

/** `f` decides when given; otherwise a client that asks for HTML (a browser) gets HTML. */
export function wantsHtml(request: FastifyRequest, f: string | undefined): boolean {
  if (f !== undefined) return f === 'html';
  return (request.headers.accept ?? '').includes('text/html');
}

function escape(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkList(links: readonly Link[]): string {
  const items = links.map((l) => `<li><a href="${escape(l.href)}">${escape(l.title ?? l.rel)}</a> <small>(${escape(l.rel)}, ${escape(l.type)})</small></li>`);
  return `<ul>${items.join('')}</ul>`;
}

function propertyTable(rows: readonly (readonly unknown[])[], header: readonly string[]): string {
  const head = `<tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell === null || cell === undefined ? '' : escape(cell)}</td>`).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}

function body(page: HtmlPage): { title: string; content: string } {
  switch (page.page) {
    case 'landing':
      return { title: page.document.title ?? 'OGC API Features', content: `<p>${escape(page.document.description ?? '')}</p>${linkList(page.document.links)}` };
    case 'conformance':
      return { title: 'Conformance classes', content: `<ul>${page.conformsTo.map((uri) => `<li>${escape(uri)}</li>`).join('')}</ul>` };
    case 'collections':
      return {
        title: 'Collections',
        content: page.document.collections.map((c) => `<h2>${escape(c.title)}</h2><p>${escape(c.description)}</p>${linkList(c.links)}`).join(''),
      };
    case 'collection':
      return { title: page.document.title, content: `<p>${escape(page.document.description)}</p>${linkList(page.document.links)}` };
    case 'items': {
      const columns = page.collection.columns.map((c) => c.name);
      const features = JSON.parse(page.featuresJson) as { id: unknown; properties: Record<string, unknown> }[];
      const rows = features.map((feature) => [feature.id, ...columns.map((name) => feature.properties[name])]);
      return {
        title: `${page.collection.title}: features`,
        content: `<p>${features.length} of ${page.numberMatched} features</p>${linkList(page.links)}${propertyTable(rows, ['id', ...columns])}`,
      };
    }
    case 'feature': {
      const properties = (page.feature.properties ?? {}) as Record<string, unknown>;
      return {
        title: `${page.collection.title}: feature ${String(page.feature.id)}`,
        content: `${propertyTable(Object.entries(properties), ['property', 'value'])}<h2>Geometry</h2><pre>${escape(page.feature.geometry)}</pre>${linkList(page.feature.links as Link[])}`,
      };
    }
  }
}

export function renderHtml(reply: FastifyReply, page: HtmlPage): FastifyReply {
  const { title, content } = body(page);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style>
</head><body><h1>${escape(title)}</h1>${content}</body></html>`;
  return reply.type('text/html; charset=utf-8').send(html);
}
