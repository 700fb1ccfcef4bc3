import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setItemClassification } from '@meridian/stac';
import { collectionDoc, itemDoc } from '../../../packages/stac/test/support.ts';
import { oidcEnv, signingKey, token, writeJwksFile, type SigningKey } from './auth-keys.ts';
import { createTestApp, type TestApp } from './support.ts';

/** The conformance classes, exactly as the STAC API specification and its extensions spell them. */
const READ_CONFORMANCE = [
  'https://api.stacspec.org/v1.0.0/core',
  'https://api.stacspec.org/v1.0.0/collections',
  'https://api.stacspec.org/v1.0.0-rc.1/collection-search',
  'https://api.stacspec.org/v1.0.0-rc.1/collection-search#free-text',
  'http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/simple-query',
  'https://api.stacspec.org/v1.0.0/ogcapi-features',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'https://api.stacspec.org/v1.0.0/ogcapi-features#fields',
  'https://api.stacspec.org/v1.1.0/ogcapi-features#sort',
  'https://api.stacspec.org/v1.0.0/ogcapi-features#query',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  ...['cql2-text', 'cql2-json', 'basic-cql2', 'advanced-comparison-operators', 'case-insensitive-comparison', 'accent-insensitive-comparison',
    'basic-spatial-functions', 'basic-spatial-functions-plus', 'spatial-functions', 'temporal-functions', 'array-functions', 'property-property',
    'arithmetic'].map((c) => `http://www.opengis.net/spec/cql2/1.0/conf/${c}`),
  'https://api.stacspec.org/v1.0.0/item-search',
  'https://api.stacspec.org/v1.0.0/item-search#fields',
  'https://api.stacspec.org/v1.1.0/item-search#sort',
  'https://api.stacspec.org/v1.0.0/item-search#query',
  'https://api.stacspec.org/v1.0.0/item-search#filter',
  'https://api.stacspec.org/v0.3.0/aggregation',
  'https://api.stacspec.org/v0.3.0/aggregation#filter',
  'https://api.stacspec.org/v0.3.0/aggregation#query',
];
const TRANSACTION_CONFORMANCE = [
  'https://api.stacspec.org/v1.0.0/ogcapi-features/extensions/transaction',
  'https://api.stacspec.org/v1.0.0/collections/extensions/transaction',
];

const GEOJSON = { 'content-type': 'application/geo+json' };

describe('STAC API over HTTP (postgres, MERIDIAN_AUTH=off: every caller is an admin)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ kind: 'postgres' });
  });
  after(() => t.close());

  it('serves the landing page, conformance and the API definition', async () => {
    const landing = (await t.app.inject('/api/stac/')).json();
    assert.equal(landing.type, 'Catalog');
    assert.deepEqual([...landing.conformsTo].sort(), [...READ_CONFORMANCE, ...TRANSACTION_CONFORMANCE].sort());
    assert.deepEqual((await t.app.inject('/api/stac/conformance')).json().conformsTo, landing.conformsTo);
    const rels = landing.links.map((l: { rel: string; method?: string }) => `${l.rel}${l.method ? ` ${l.method}` : ''}`);
    for (const rel of ['self', 'root', 'conformance', 'service-desc', 'data', 'search GET', 'search POST', 'http://www.opengis.net/def/rel/ogc/1.0/queryables', 'aggregate GET', 'aggregations']) {
      assert.ok(rels.includes(rel), rel);
    }
    const api = await t.app.inject('/api/stac/api');
    assert.equal(api.statusCode, 200);
    assert.match(api.headers['content-type'] as string, /openapi/);
    const document = api.json();
    assert.ok(document.paths['/api/stac/search']);
    await SwaggerParser.validate(structuredClone(document));
  });

  it('creates, reads, replaces, patches and deletes through the transaction endpoints', async () => {
    let r = await t.app.inject({ method: 'POST', url: '/api/stac/collections', payload: collectionDoc('tx') });
    assert.equal(r.statusCode, 201);
    assert.match(r.headers.location as string, /\/api\/stac\/collections\/tx$/);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections', payload: collectionDoc('tx') })).statusCode, 409);
    r = await t.app.inject({ method: 'POST', url: '/api/stac/collections/tx/items', headers: GEOJSON, payload: JSON.stringify(itemDoc('one', 1, 1, '2020-01-01T00:00:00Z')) });
    assert.equal(r.statusCode, 201);
    assert.match(r.headers.location as string, /\/collections\/tx\/items\/one$/);
    assert.equal(r.json().collection, 'tx');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections/tx/items', payload: itemDoc('one', 1, 1, '2020-01-01T00:00:00Z') })).statusCode, 409);
    r = await t.app.inject({ method: 'POST', url: '/api/stac/collections/tx/items', payload: { ...itemDoc('bad', 1, 1, '2020-01-01T00:00:00Z'), stac_version: '0.8.0' } });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().code, 'STAC_INVALID');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections/none/items', payload: itemDoc('x', 1, 1, '2020-01-01T00:00:00Z') })).statusCode, 404);

    r = await t.app.inject({ method: 'PUT', url: '/api/stac/collections/tx/items/one', payload: itemDoc('one', 2, 2, '2020-01-02T00:00:00Z', { title: 'put' }) });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().properties.title, 'put');
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/stac/collections/tx/items/one', payload: itemDoc('two', 2, 2, '2020-01-02T00:00:00Z') })).statusCode, 400);
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/stac/collections/tx/items/missing', payload: itemDoc('missing', 2, 2, '2020-01-02T00:00:00Z') })).statusCode, 404);
    r = await t.app.inject({ method: 'PATCH', url: '/api/stac/collections/tx/items/one', headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ properties: { title: 'patched' } }) });
    assert.equal(r.statusCode, 200);
    assert.equal((await t.app.inject('/api/stac/collections/tx/items/one')).json().properties.title, 'patched');
    r = await t.app.inject({ method: 'PATCH', url: '/api/stac/collections/tx', payload: { title: 'Patched collection' } });
    assert.equal(r.json().title, 'Patched collection');
    r = await t.app.inject({ method: 'PUT', url: '/api/stac/collections/tx', payload: collectionDoc('tx', { title: 'Put collection' }) });
    assert.equal(r.statusCode, 200);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/stac/collections/tx/items/one' })).statusCode, 204);
    assert.equal((await t.app.inject('/api/stac/collections/tx/items/one')).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/stac/collections/tx' })).statusCode, 204);
    assert.equal((await t.app.inject('/api/stac/collections/tx')).statusCode, 404);
  });

  it('ingests 1,000 items in one request, then pages through them with next links (GET and POST)', async () => {
    await t.app.inject({ method: 'POST', url: '/api/stac/collections', payload: collectionDoc('bulk', { summaries: { 'eo:cloud_cover': { minimum: 0, maximum: 100 } } }) });
    const features = Array.from({ length: 1000 }, (_, i) => itemDoc(`b-${i}`, (i % 50) * 0.1, Math.floor(i / 50) * 0.1, new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(), { 'eo:cloud_cover': i % 100 }));
    const started = performance.now();
    const r = await t.app.inject({ method: 'POST', url: '/api/stac/collections/bulk/items', headers: GEOJSON, payload: JSON.stringify({ type: 'FeatureCollection', features }) });
    const elapsed = performance.now() - started;
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(r.json(), { collection: 'bulk', created: 1000 });
    assert.ok(elapsed < 30_000, `bulk ingest took ${elapsed} ms`);
    // The same batch again is refused as a whole.
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections/bulk/items', payload: { type: 'FeatureCollection', features } })).statusCode, 409);

    const seen = new Set<string>();
    let url: string | undefined = '/api/stac/collections/bulk/items?limit=300&filter=%22eo%3Acloud_cover%22%20%3C%2050';
    while (url) {
      const page = (await t.app.inject(url)).json() as { features: { id: string }[]; links: { rel: string; href: string }[]; numberMatched: number };
      assert.equal(page.numberMatched, 500);
      for (const f of page.features) seen.add(f.id);
      const next = page.links.find((l) => l.rel === 'next');
      url = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
    }
    assert.equal(seen.size, 500);

    const posted = new Set<string>();
    let body: Record<string, unknown> | undefined = { collections: ['bulk'], limit: 400, sortby: [{ field: 'eo:cloud_cover', direction: 'desc' }], fields: { include: ['id'] } };
    while (body) {
      const page = (await t.app.inject({ method: 'POST', url: '/api/stac/search', payload: body })).json() as { features: { id: string; properties?: unknown }[]; links: { rel: string; method?: string; body?: Record<string, unknown> }[] };
      for (const f of page.features) {
        assert.equal(f.properties, undefined);
        posted.add(f.id);
      }
      const next = page.links.find((l) => l.rel === 'next');
      if (next) assert.equal(next.method, 'POST');
      body = next?.body;
    }
    assert.equal(posted.size, 1000);
  });

  it('answers collection search, queryables, aggregation and the consistency report', async () => {
    const collections = (await t.app.inject('/api/stac/collections?q=bulk')).json();
    assert.deepEqual(collections.collections.map((c: { id: string }) => c.id), ['bulk']);
    const queryables = await t.app.inject('/api/stac/collections/bulk/queryables');
    assert.match(queryables.headers['content-type'] as string, /schema\+json/);
    assert.equal(queryables.json().properties['eo:cloud_cover'].type, 'number');
    assert.ok((await t.app.inject('/api/stac/queryables')).json().properties.datetime);
    const aggregate = (await t.app.inject('/api/stac/collections/bulk/aggregate?aggregations=total_count,datetime_frequency&datetime_frequency_interval=day')).json();
    assert.equal(aggregate.type, 'AggregationCollection');
    assert.equal(aggregate.aggregations[0].value, 1000);
    assert.equal(aggregate.aggregations[1].buckets.length, 42);
    const posted = (await t.app.inject({ method: 'POST', url: '/api/stac/aggregate', payload: { aggregations: ['collection_frequency'], filter: { op: '<', args: [{ property: 'eo:cloud_cover' }, 10] } } })).json();
    assert.deepEqual(posted.aggregations[0].buckets.map((b: { key: string; frequency: number }) => [b.key, b.frequency]), [['bulk', 100]]);
    assert.ok((await t.app.inject('/api/stac/aggregations')).json().aggregations.some((a: { name: string }) => a.name === 'eo:cloud_cover_frequency'));
    assert.deepEqual((await t.app.inject('/api/stac/consistency')).json(), { report: null });
  });

  it('answers injection attempts and malformed requests with 400 in the OGC exception format', async () => {
    const cases = [
      "/api/stac/search?filter=eo%3Acloud_cover%20%3D%201%3B%20DROP%20TABLE%20catalog.items",
      '/api/stac/search?filter=%22x%27%29%3B%20DROP%20TABLE%20catalog.items%3B--%22%20%3D%201',
      '/api/stac/search?sortby=%22%3BDROP',
      '/api/stac/search?bbox=1,2,3',
      '/api/stac/search?datetime=yesterday',
      '/api/stac/search?limit=-1',
      '/api/stac/search?token=%27%20OR%201%3D1',
      '/api/stac/search?intersects=%7B%22type%22%3A%22Point%22%7D',
      '/api/stac/search?unknown=1',
      '/api/stac/collections?bbox=a,b,c,d',
      '/api/stac/collections/bulk/items?collections=other',
    ];
    for (const url of cases) {
      const r = await t.app.inject(url);
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      assert.deepEqual(Object.keys(r.json()).sort(), ['code', 'description']);
    }
    const post = await t.app.inject({ method: 'POST', url: '/api/stac/search', payload: { filter: { op: '=', args: [{ property: "a'; DROP TABLE x; --" }, 1] } } });
    assert.equal(post.statusCode, 400);
    const path = await t.app.inject({ method: 'POST', url: '/api/stac/collections/bulk/items', payload: itemDoc('..%2F..%2Fetc', 0, 0, '2020-01-01T00:00:00Z') });
    assert.equal(path.statusCode, 400);
    assert.equal((await t.app.inject('/api/stac/collections/bulk/items/..%2F..%2Fetc')).statusCode, 404);
    assert.equal((await t.app.inject('/api/stac/nowhere')).json().code, 'NOT_FOUND');
  });
});

describe('STAC API visibility (MERIDIAN_AUTH=oidc)', () => {
  let t: TestApp;
  let key: SigningKey;
  let dir: string;
  const as = async (roles: string[] | null) => (roles === null ? {} : { authorization: `Bearer ${await token(key, { roles })}` });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meridian-stac-oidc-'));
    key = await signingKey('k1');
    t = await createTestApp({ kind: 'postgres', env: oidcEnv(await writeJwksFile(dir, [key])) });
    const admin = await as(['admin']);
    await t.app.inject({ method: 'POST', url: '/api/stac/collections', headers: admin, payload: collectionDoc('vis') });
    await t.app.inject({ method: 'POST', url: '/api/stac/collections/vis/items', headers: admin, payload: { type: 'FeatureCollection', features: ['pub', 'ouo', 'pending'].map((id) => itemDoc(id, 0, 0, '2020-01-01T00:00:00Z')) } });
    // Writes through the API are served as OUO; open one to the public and hold one back for review.
    await t.runtime.db.query("UPDATE catalog.collections SET access_level = 'public' WHERE id = 'vis'");
    await setItemClassification(t.runtime.db, 'vis', 'pub', { accessLevel: 'public', served: true });
    await setItemClassification(t.runtime.db, 'vis', 'pending', { accessLevel: 'public', served: false });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows anonymous callers served public items only, readers OUO too, reviewers everything', async () => {
    const ids = async (roles: string[] | null) => ((await t.app.inject({ url: '/api/stac/search?collections=vis', headers: await as(roles) })).json().features as { id: string }[]).map((f) => f.id).sort();
    assert.deepEqual(await ids(null), ['pub']);
    assert.deepEqual(await ids(['reader']), ['ouo', 'pub']);
    assert.deepEqual(await ids(['reviewer']), ['ouo', 'pending', 'pub']);
  });

  it('answers 404, never 403, for what the caller may not see', async () => {
    for (const [roles, url] of [[null, '/api/stac/collections/vis/items/ouo'], [['reader'], '/api/stac/collections/vis/items/pending'], [null, '/api/stac/consistency']] as const) {
      const r = await t.app.inject({ url, headers: await as(roles as string[] | null) });
      assert.equal(r.statusCode, 404, url);
    }
    await t.runtime.db.query("UPDATE catalog.collections SET served = false WHERE id = 'vis'");
    for (const url of ['/api/stac/collections/vis', '/api/stac/collections/vis/items', '/api/stac/collections/vis/items/pub', '/api/stac/collections/vis/queryables', '/api/stac/collections/vis/aggregate']) {
      assert.equal((await t.app.inject({ url, headers: await as(['reader']) })).statusCode, 404, url);
    }
    assert.equal((await t.app.inject({ url: '/api/stac/collections/vis/items/pub', headers: await as(['reviewer']) })).statusCode, 200);
    await t.runtime.db.query("UPDATE catalog.collections SET served = true WHERE id = 'vis'");
  });

  it('lets only administrators write', async () => {
    const payload = itemDoc('new', 0, 0, '2020-01-01T00:00:00Z');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections/vis/items', payload })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections/vis/items', headers: await as(['reviewer']), payload })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections/vis/items', headers: await as(['admin']), payload })).statusCode, 201);
  });
});

describe('STAC API in the read-only public mode', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ kind: 'pglite', mode: 'public' });
  });
  after(() => t.close());

  it('registers no transaction routes and does not claim the transaction extensions', async () => {
    const conformance = (await t.app.inject('/api/stac/conformance')).json().conformsTo as string[];
    assert.deepEqual([...conformance].sort(), [...READ_CONFORMANCE].sort());
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/stac/collections', payload: collectionDoc('x') })).statusCode, 404);
    assert.equal((await t.app.inject('/api/stac/search')).statusCode, 200);
  });
});
