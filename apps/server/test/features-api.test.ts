import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { TEST_BACKENDS } from '@meridian/db/testing';
import { createVectorFixtures } from '@meridian/catalog/testing';
import { createTestApp, type TestApp } from './support.ts';

interface Link {
  href: string;
  rel: string;
  type: string;
}

const EPSG_4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';

/** An absolute link as the path inject() takes. */
const pathOf = (href: string) => {
  const url = new URL(href);
  return `${url.pathname}${url.search}`;
};

for (const kind of TEST_BACKENDS) {
  describe(`OGC API Features over HTTP on ${kind}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ kind, as: 'reader' });
      await createVectorFixtures(t.runtime.db);
    });
    after(() => t.close());

    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

    async function ogcError(url: string, status: number, code?: string): Promise<void> {
      const response = await get(url);
      assert.equal(response.statusCode, status, `${url}: ${response.body}`);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['code', 'description'], url);
      if (code) assert.equal(body.code, code, url);
    }

    it('links the landing page to the API definition, conformance and collections, all reachable', async () => {
      for (const url of ['/api/features', '/api/features/']) {
        const response = await get(url);
        assert.equal(response.statusCode, 200);
        const links = response.json().links as Link[];
        assert.deepEqual(links.map((l) => l.rel), ['self', 'service-desc', 'service-doc', 'conformance', 'data']);
        for (const l of links.filter((l) => l.rel !== 'self')) assert.equal((await get(pathOf(l.href))).statusCode, 200, l.href);
      }
    });

    it('declares exactly the conformance classes it implements', async () => {
      const classes = (await get('/api/features/conformance')).json().conformsTo as string[];
      for (const suffix of [
        'ogcapi-features-1/1.0/conf/core', 'ogcapi-features-1/1.0/conf/geojson', 'ogcapi-features-1/1.0/conf/html',
        'ogcapi-features-2/1.0/conf/crs', 'ogcapi-features-3/1.0/conf/queryables', 'ogcapi-features-3/1.0/conf/queryables-query-parameters',
        'ogcapi-features-3/1.0/conf/filter', 'ogcapi-features-3/1.0/conf/features-filter', 'cql2/1.0/conf/cql2-text', 'cql2/1.0/conf/cql2-json',
        'cql2/1.0/conf/basic-cql2', 'cql2/1.0/conf/advanced-comparison-operators', 'cql2/1.0/conf/case-insensitive-comparison',
        'cql2/1.0/conf/accent-insensitive-comparison', 'cql2/1.0/conf/basic-spatial-functions', 'cql2/1.0/conf/basic-spatial-functions-plus',
        'cql2/1.0/conf/spatial-functions', 'cql2/1.0/conf/temporal-functions', 'cql2/1.0/conf/array-functions',
        'cql2/1.0/conf/property-property', 'cql2/1.0/conf/arithmetic', 'ogcapi-features-8/1.0/conf/sorting',
        'ogcapi-features-6/1.0/conf/property-selection',
      ]) assert.ok(classes.includes(`http://www.opengis.net/spec/${suffix}`), suffix);
      assert.ok(!classes.some((c) => c.endsWith('/functions') || c.endsWith('/oas30')), 'no CQL2 functions, and the API definition is OpenAPI 3.1');
      assert.equal(new Set(classes).size, classes.length);
    });

    it('lists only served collections, with extents, CRSs and links', async () => {
      const body = (await get('/api/features/collections')).json();
      assert.deepEqual(body.collections.map((c: { id: string }) => c.id), ['places', 'zones']);
      const zones = body.collections[1];
      assert.deepEqual(zones.extent.spatial.bbox, [[0, 0, 101, 51]]);
      assert.deepEqual(zones.extent.temporal.interval, [['2020-12-31T23:59:59.000Z', '2022-03-01T08:00:00.500Z']]);
      assert.equal(zones.storageCrs, 'http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      assert.ok(zones.crs.includes(EPSG_4326));
      const items = (zones.links as Link[]).find((l) => l.rel === 'items' && l.type === 'application/geo+json')!;
      assert.equal((await get(pathOf(items.href))).statusCode, 200);
      assert.deepEqual((await get('/api/features/collections/zones')).json(), zones);
    });

    it('answers 404 in OGC form for unknown, unpublished and hostile collection ids', async () => {
      await ogcError('/api/features/collections/secret_places', 404, 'COLLECTION_NOT_FOUND');
      await ogcError('/api/features/collections/secret_places/items', 404, 'COLLECTION_NOT_FOUND');
      for (const id of ["places'; DROP TABLE geo.places; --", '"places"', 'places%00', '..%2Fzones', 'PLACES']) {
        await ogcError(`/api/features/collections/${encodeURIComponent(id)}/items`, 404);
      }
      await ogcError(`/api/features/collections/${'a'.repeat(90)}`, 404, 'COLLECTION_NOT_FOUND');
      // Longer path segments are refused by the router itself (Fastify's maxParamLength) before any handler runs.
      assert.equal((await get(`/api/features/collections/${'a'.repeat(300)}`)).statusCode, 414);
      await ogcError('/api/features/nowhere', 404, 'NOT_FOUND');
      assert.equal((await t.runtime.db.query('SELECT count(*) AS n FROM geo.places')).rows[0]!.n, 12);
    });

    it('publishes queryables as JSON Schema', async () => {
      const response = await get('/api/features/collections/places/queryables');
      assert.match(String(response.headers['content-type']), /^application\/schema\+json/);
      const schema = response.json();
      assert.deepEqual(Object.keys(schema.properties), ['geometry', 'name', 'pop', 'score', 'active', 'tags', 'founded']);
      assert.deepEqual(schema.properties.pop, { title: 'Population', type: 'integer' });
      assert.deepEqual(schema.properties.founded, { title: 'Founded', type: 'string', format: 'date' });
      assert.deepEqual(schema.properties.tags, { title: 'tags', type: 'array', items: { type: 'string' } });
      assert.equal(schema.properties.geometry.format, 'geometry-point');
      assert.equal(schema.additionalProperties, false);
      assert.equal((await get('/api/features/collections/zones/queryables')).json().properties.observed['x-ogc-role'], 'primary-instant');
    });

    it('pages through items with next and prev links that keep the other parameters', async () => {
      const seen: number[] = [];
      let url: string | undefined = '/api/features/collections/places/items?limit=5&sortby=-pop';
      let pages = 0;
      while (url) {
        const response = await get(url);
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /^application\/geo\+json/);
        assert.equal(response.headers['content-crs'], '<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
        const body = response.json();
        assert.equal(body.type, 'FeatureCollection');
        assert.equal(body.numberMatched, 12);
        assert.equal(body.numberMatchedEstimated, false);
        assert.equal(body.numberReturned, body.features.length);
        assert.ok(Date.parse(body.timeStamp) > 0);
        seen.push(...body.features.map((f: { id: number }) => f.id));
        const links = body.links as Link[];
        assert.equal(links.some((l) => l.rel === 'prev'), pages > 0);
        const next = links.find((l) => l.rel === 'next');
        if (next) assert.match(next.href, /sortby=-pop/);
        url = next && pathOf(next.href);
        pages++;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, [3, 11, 8, 1, 4, 2, 7, 9, 6, 10, 12, 5]);
      const last = (await get('/api/features/collections/places/items?limit=5&offset=10')).json();
      const prev = (last.links as Link[]).find((l) => l.rel === 'prev')!;
      assert.deepEqual((await get(pathOf(prev.href))).json().features.map((f: { id: number }) => f.id), [6, 7, 8, 9, 10]);
    });

    it('filters by bbox, datetime, property=value and CQL2 in both encodings', async () => {
      const ids = async (query: string) => {
        const response = await get(`/api/features/collections/${query}`);
        assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
        return response.json().features.map((f: { id: number }) => f.id);
      };
      assert.deepEqual(await ids('places/items?bbox=0,40,20,70'), [1, 2, 4, 6]);
      assert.deepEqual(await ids('zones/items?datetime=2021-01-01T00:00:00Z/..'), [1, 2, 4]);
      assert.deepEqual(await ids('places/items?active=false&limit=2'), [3, 9]);
      assert.deepEqual(await ids(`places/items?filter=${encodeURIComponent("CASEI(name) LIKE 'z%' OR pop > 2000000")}`), [1, 3, 11]);
      const json = JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [0, 40, 20, 70] }] });
      assert.deepEqual(await ids(`places/items?filter-lang=cql2-json&filter=${encodeURIComponent(json)}`), [1, 2, 4, 6]);
      assert.deepEqual(await ids(`places/items?filter=${encodeURIComponent('S_INTERSECTS(geometry, BBOX(40, 0, 70, 20))')}&filter-crs=${encodeURIComponent(EPSG_4326)}`), [1, 2, 4, 6]);
    });

    it('answers crs=EPSG:4326 in latitude/longitude order with Content-Crs, for items and single features', async () => {
      const response = await get(`/api/features/collections/places/items?limit=1&crs=${encodeURIComponent(EPSG_4326)}`);
      assert.equal(response.headers['content-crs'], `<${EPSG_4326}>`);
      assert.deepEqual(response.json().features[0].geometry.coordinates, [47.3769, 8.5417]);
      const feature = await get(`/api/features/collections/places/items/1?crs=${encodeURIComponent(EPSG_4326)}`);
      assert.equal(feature.headers['content-crs'], `<${EPSG_4326}>`);
      assert.deepEqual(feature.json().geometry.coordinates, [47.3769, 8.5417]);
    });

    it('serves single features with links, 404 for unknown ids', async () => {
      const response = await get('/api/features/collections/zones/items/4');
      assert.equal(response.statusCode, 200);
      const feature = response.json();
      assert.equal(feature.properties.label, '東京区');
      assert.deepEqual((feature.links as Link[]).map((l) => l.rel), ['self', 'collection']);
      await ogcError('/api/features/collections/zones/items/99', 404, 'FEATURE_NOT_FOUND');
      await ogcError(`/api/features/collections/zones/items/${encodeURIComponent("1 OR 1=1")}`, 404, 'FEATURE_NOT_FOUND');
    });

    it('refuses unknown and malformed parameters with 400, and injection attempts never reach SQL', async () => {
      await ogcError('/api/features?foo=1', 400, 'UNKNOWN_PARAMETER');
      await ogcError('/api/features/collections?limit=5', 400, 'UNKNOWN_PARAMETER');
      await ogcError('/api/features/collections/places/items?foo=1', 400, 'UNKNOWN_PARAMETER');
      await ogcError('/api/features/collections/places/items?limit=10001', 400, 'VALIDATION_ERROR');
      await ogcError('/api/features/collections/places/items?limit=abc', 400, 'VALIDATION_ERROR');
      await ogcError('/api/features/collections/places/items?filter-lang=sql', 400, 'VALIDATION_ERROR');
      await ogcError('/api/features/collections/places/items?bbox=1,2,3', 400, 'INVALID_BBOX');
      await ogcError('/api/features/collections/places/items?crs=EPSG:4326', 400, 'INVALID_CRS');
      const attacks = [
        ['filter', "name = 'x' OR 1=1; DROP TABLE geo.places; --"],
        ['filter', "\"name\"\"; DROP TABLE geo.places; --\" = 'x'"],
        ['filter', '{"op":"=","args":[{"property":"name; DROP TABLE geo.places"},1]}'],
        ['filter', 'pop = (SELECT 1)'],
        ['sortby', 'name; DROP TABLE geo.places'],
        ['sortby', '"name"'],
        ['properties', 'name,(SELECT password FROM pg_shadow)'],
        ['properties', 'name"'],
        ['name) OR (1', '1'],
        ['bbox', '1,2,3,4); DROP TABLE geo.places; --'],
        ['datetime', "2021-01-01' OR '1'='1"],
      ];
      for (const [name, value] of attacks) {
        const url = `/api/features/collections/places/items?${encodeURIComponent(name!)}=${encodeURIComponent(value!)}`;
        const response = await get(url);
        assert.equal(response.statusCode, 400, `${name}=${value}: ${response.body}`);
        assert.ok(response.json().code, url);
      }
      assert.equal((await t.runtime.db.query('SELECT count(*) AS n FROM geo.places')).rows[0]!.n, 12);
    });

    it('offers a simple HTML view to browsers', async () => {
      const landing = await get('/api/features', { accept: 'text/html,application/xhtml+xml' });
      assert.match(String(landing.headers['content-type']), /^text\/html/);
      const items = await get('/api/features/collections/places/items?f=html&properties=name');
      assert.match(items.body, /O&#39;Brien/);
      assert.match(items.body, /Zürich/);
      assert.doesNotMatch(items.body, /O'Brien/);
      assert.equal((await get('/api/features/collections/places/items/5?f=html')).statusCode, 200);
      assert.equal((await get('/api/features/collections?f=html')).statusCode, 200);
      assert.match((await get('/api/features/conformance?f=html')).body, /<li>http:\/\/www.opengis.net\/spec\/ogcapi-features-1\/1.0\/conf\/core<\/li>/);
      assert.equal((await get('/api/features/collections/zones?f=html')).statusCode, 200);
    });

    it('documents every features route in a valid OpenAPI document', async () => {
      const document = (await get('/api/openapi.json')).json();
      for (const path of ['/api/features/collections/{collectionId}/items', '/api/features/collections/{collectionId}/tiles/WebMercatorQuad/{z}/{x}/{y}.pbf']) {
        assert.ok(document.paths[path], path);
      }
      const limit = document.paths['/api/features/collections/{collectionId}/items'].get.parameters.find((p: { name: string }) => p.name === 'limit');
      assert.deepEqual([limit.schema.maximum, limit.schema.default], [10000, 10]);
      await SwaggerParser.validate(structuredClone(document));
    });
  });
}

describe('features and exposure modes', () => {
  it('public mode serves features, gateway mode does not', async () => {
    for (const [mode, status] of [['public', 200], ['gateway', 404]] as const) {
      const t = await createTestApp({ mode });
      try {
        assert.equal((await t.app.inject('/api/features/collections')).statusCode, status, mode);
      } finally {
        await t.close();
      }
    }
  });
});
