/** The ItemCollection both item search and a collection's items answer with. */
import type { FastifyRequest } from 'fastify';
import { applyFields, type SearchPage, type SearchRequest } from '@meridian/stac';
import { servedItem, type Link } from './stac-links.ts';

export function itemCollection(request: FastifyRequest, search: SearchRequest, page: SearchPage, links: Link[]) {
  const fields = search.fields;
  return {
    type: 'FeatureCollection' as const,
    features: page.items.map((item) => {
      const served = servedItem(request, item);
      return fields ? applyFields(served, fields) : served;
    }),
    links,
    numberMatched: page.numberMatched,
    numberMatchedEstimated: page.numberMatchedEstimated,
    numberReturned: page.numberReturned,
  };
}
