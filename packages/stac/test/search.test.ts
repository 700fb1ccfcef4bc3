import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MeridianError } from '@meridian/core';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import { applyFields, insertItems, parseSearchBody, parseSearchQuery, searchItems, type SearchRequest, type Visibility } from '../src/index.ts';
import { LAND_IDS, PUBLIC, SEA_IDS, loadSearchFixtures } from './fixtures.ts';
import { itemDoc } from './support.ts';

for (const kind of TEST_BACKENDS) {
  describe(`item search (${kind})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
      await loadSearchFixtures(t.db);
    });
    after(() => t.drop());

    const search = async (request: SearchRequest, visibility: Visibility = 'public') => searchItems(t.db, request, visibility);
    const ids = async (query: Record<string, string>, visibility: Visibility = 'public') => {
      const page = await search(parseSearchQuery({ limit: '1000', ...query }), visibility);
      return page.items.map((i) => i.id).sort();
    };
    const rejects = async (query: Record<string, unknown>, code: string, post = false) => {
      await assert.rejects(async () => search(post ? parseSearchBody(query) : parseSearchQuery(query as Record<string, string>)), (error: unknown) => {
        assert.ok(error instanceof MeridianError, String(error));
        assert.equal(error.code, code, error.message);
        return true;
      });
    };

    it('sees only what the caller may see', async () => {
      assert.deepEqual(await ids({}), [...LAND_IDS, ...SEA_IDS].sort());
      assert.deepEqual(await ids({}, 'authenticated'), [...LAND_IDS, ...SEA_IDS, 'land-ouo', 'secret-0', 'secret-1'].sort());
      assert.equal((await ids({}, 'reviewer')).length, 30 + 5 + 2 + 2 + 1);
      assert.deepEqual(await ids({ collections: 'pending' }), []);
      assert.deepEqual(await ids({ ids: 'land-unserved,secret-0' }), []);
    });

    it('filters by collections and ids', async () => {
      assert.deepEqual(await ids({ collections: 'sea' }), [...SEA_IDS].sort());
      assert.deepEqual(await ids({ ids: 'land-03,sea-1,nope' }), ['land-03', 'sea-1']);
      assert.deepEqual(await ids({ collections: 'sea', ids: 'land-03,sea-1' }), ['sea-1']);
    });

    it('filters by bbox, also across the antimeridian, and by intersects', async () => {
      assert.deepEqual(await ids({ bbox: '2.5,-1,5.5,1' }), ['land-03', 'land-04', 'land-05']);
      assert.deepEqual(await ids({ bbox: '179,40,-179,60' }), ['sea-antimeridian']);
      assert.deepEqual(await ids({ bbox: '2.5,-1,0,5.5,1,100' }), ['land-03', 'land-04', 'land-05']);
      const triangle = { type: 'Polygon', coordinates: [[[9.5, -1], [12.5, -1], [9.5, 1], [9.5, -1]]] };
      assert.deepEqual(await ids({ intersects: JSON.stringify(triangle) }), ['land-10', 'land-11']);
      const post = await search(parseSearchBody({ intersects: { type: 'Point', coordinates: [2, 50] }, limit: 100 }));
      assert.deepEqual(post.items.map((i) => i.id), ['sea-2']);
    });

    it('filters by datetime instants, intervals and open ends, matching time ranges by overlap', async () => {
      assert.deepEqual(await ids({ datetime: '2021-01-04T00:00:00Z' }), ['land-03']);
      assert.deepEqual(await ids({ datetime: '2021-01-04T00:00:00Z/2021-01-06T00:00:00Z' }), ['land-03', 'land-04', 'land-05']);
      assert.deepEqual(await ids({ datetime: '../2021-01-02T00:00:00Z' }), ['land-00', 'land-01']);
      assert.deepEqual(await ids({ datetime: '2022-03-01T00:00:00Z/..' }), ['sea-2', 'sea-3', 'sea-antimeridian']);
      // land-28 spans 2021-01-29 .. 2021-02-28, land-29 2021-01-30 .. 2021-03-01.
      assert.deepEqual(await ids({ datetime: '2021-02-15T00:00:00Z' }), ['land-28', 'land-29']);
      assert.deepEqual(await ids({ datetime: '2021-03-01T00:00:00Z/2021-03-02T00:00:00Z' }), ['land-29']);
    });

    it('pages with limit and a stable keyset token, unaffected by inserts between pages', async (test) => {
      test.after(() => t.db.query("DELETE FROM catalog.items WHERE id = 'land-late'"));
      const seen: string[] = [];
      let request = parseSearchQuery({ collections: 'land', limit: '7' });
      let page = await search(request);
      assert.equal(page.numberMatched, 30);
      seen.push(...page.items.map((i) => i.id));
      // A newer item arrives after the first page was read: it sorts before the cursor, so it is not seen.
      await t.db.transaction((tx) => insertItems(tx, 'land', [itemDoc('land-late', 3, 0, '2030-01-01T00:00:00Z')], PUBLIC));
      while (page.next) {
        request = { ...request, token: page.next };
        page = await search(request);
        seen.push(...page.items.map((i) => i.id));
      }
      assert.equal(seen.length, 30);
      assert.deepEqual([...seen].sort(), [...LAND_IDS].sort());
      // Newest first by default (a range sorts by its start).
      assert.deepEqual(seen.slice(0, 3), ['land-29', 'land-28', 'land-27']);
    });

    it('filters with CQL2 text and JSON through the shared compiler', async () => {
      assert.deepEqual(await ids({ filter: "\"eo:cloud_cover\" < 15 AND platform = 'beta'" }), ['land-01', 'land-03']);
      assert.deepEqual(await ids({ 'filter-lang': 'cql2-json', filter: JSON.stringify({ op: 'and', args: [{ op: '<', args: [{ property: 'eo:cloud_cover' }, 15] }, { op: '=', args: [{ property: 'platform' }, 'beta'] }] }) }), ['land-01', 'land-03']);
      assert.deepEqual(await ids({ filter: 'S_INTERSECTS(geometry, BBOX(19.5, -1, 21.5, 1))' }), ['land-20', 'land-21']);
      assert.deepEqual(await ids({ filter: "T_INTERSECTS(datetime, INTERVAL('2022-01-01T00:00:00Z', '2022-02-28T00:00:00Z'))" }), ['sea-0', 'sea-1']);
      assert.deepEqual(await ids({ filter: "A_CONTAINS(instruments, ('lidar')) AND \"eo:cloud_cover\" > 60" }), ['land-21', 'land-24', 'land-27']);
      assert.deepEqual(await ids({ filter: "CASEI(title) LIKE casei('LAND TILE 1_')" }), LAND_IDS.slice(10, 20));
      assert.deepEqual(await ids({ filter: "id IN ('land-00', 'sea-0') AND collection = 'land'" }), ['land-00']);
      assert.deepEqual(await ids({ filter: '"eo:cloud_cover" IS NULL AND collection = \'land\'' }), ['land-00', 'land-10', 'land-20']);
      const post = await search(parseSearchBody({ filter: { op: '>=', args: [{ property: 'properties.eo:cloud_cover' }, 84] }, limit: 100 }));
      assert.deepEqual(post.items.map((i) => i.id).sort(), ['land-28', 'land-29']);
    });

    it('sorts by any scalar queryable, also when paging over missing values', async () => {
      const all = async (request: SearchRequest) => {
        const out: string[] = [];
        for (let page = await search(request); ; page = await search({ ...request, token: page.next! })) {
          out.push(...page.items.map((i) => i.id));
          if (!page.next) return out;
        }
      };
      const ascending = await all(parseSearchQuery({ collections: 'land', sortby: '+eo:cloud_cover', limit: '4' }));
      // Items without a cloud cover sort last, in collection/id order.
      assert.deepEqual(ascending, [...LAND_IDS.filter((_, i) => i % 10 !== 0), 'land-00', 'land-10', 'land-20']);
      const descending = await all(parseSearchBody({ collections: ['land'], sortby: [{ field: 'properties.eo:cloud_cover', direction: 'desc' }], limit: 4 }));
      assert.deepEqual(descending, ['land-00', 'land-10', 'land-20', ...LAND_IDS.filter((_, i) => i % 10 !== 0).reverse()]);
      const byPlatform = await all(parseSearchQuery({ collections: 'land', sortby: 'platform,-id', limit: '5' }));
      assert.deepEqual(byPlatform.slice(0, 3), ['land-28', 'land-26', 'land-24']);
      assert.equal(byPlatform.length, 30);
      const oldest = await search(parseSearchQuery({ sortby: 'datetime', limit: '1' }));
      assert.equal(oldest.items[0]!.id, 'land-00');
    });

    it('applies the query extension', async () => {
      assert.deepEqual(await ids({ query: JSON.stringify({ 'eo:cloud_cover': { lt: 10 } }) }), ['land-01', 'land-02', 'land-03']);
      const post = await search(parseSearchBody({ query: { platform: { eq: 'alpha' }, 'eo:cloud_cover': { gte: 80, lte: 84 } }, limit: 100 }));
      assert.deepEqual(post.items.map((i) => i.id).sort(), ['land-28']);
      assert.deepEqual(await ids({ query: JSON.stringify({ title: { startsWith: 'Land tile 2', endsWith: '9' } }) }), ['land-29']);
      assert.deepEqual(await ids({ query: JSON.stringify({ platform: { in: ['beta'] }, title: { contains: 'tile 1' } }) }), ['land-01', 'land-11', 'land-13', 'land-15', 'land-17', 'land-19']);
    });

    it('selects fields', async () => {
      const [item] = (await search(parseSearchQuery({ ids: 'land-03' }))).items;
      assert.deepEqual(applyFields(item!, { include: ['properties.platform'], exclude: [] }), { id: 'land-03', collection: 'land', properties: { platform: 'beta' } });
      const minimal = applyFields(item!, { include: null, exclude: ['geometry'] });
      assert.deepEqual(Object.keys(minimal).sort(), ['assets', 'bbox', 'collection', 'id', 'links', 'properties', 'stac_version', 'type']);
      assert.deepEqual(minimal.properties, { datetime: item!.properties.datetime });
      const allButAssets = applyFields(item!, { include: undefined, exclude: ['assets', 'properties.title'] });
      assert.equal('assets' in allButAssets, false);
      assert.equal((allButAssets.properties as Record<string, unknown>).platform, 'beta');
      assert.equal('title' in (allButAssets.properties as Record<string, unknown>), false);
      const nested = applyFields(item!, { include: ['properties.datetime'], exclude: ['properties'] });
      assert.deepEqual(nested.properties, { datetime: item!.properties.datetime });
    });

    it('rejects bad input and injection attempts with a 400-class error', async () => {
      await rejects({ filter: "platform = 'x'; DROP TABLE catalog.items; --" }, 'CQL2_INVALID');
      await rejects({ filter: '"platform\'; DROP TABLE catalog.items; --" = \'x\'' }, 'UNKNOWN_PROPERTY');
      await rejects({ filter: 'nosuchfield = 1' }, 'UNKNOWN_PROPERTY');
      await rejects({ filter: "\"eo:cloud_cover\" = 'text'" }, 'CQL2_INVALID');
      await rejects({ sortby: 'geometry' }, 'VALIDATION_ERROR');
      await rejects({ sortby: 'x");DROP TABLE t;--' }, 'UNKNOWN_PROPERTY');
      await rejects({ bbox: '1,2,3' }, 'INVALID_BBOX');
      await rejects({ bbox: '0,0,1,1', intersects: '{"type":"Point","coordinates":[0,0]}' }, 'VALIDATION_ERROR');
      await rejects({ intersects: '{"type":"Polygon","coordinates":[[0,0]]}' }, 'CQL2_INVALID');
      await rejects({ datetime: '2021-02-30T00:00:00Z' }, 'INVALID_DATETIME');
      await rejects({ datetime: '2021-02-01T00:00:00Z/2021-01-01T00:00:00Z' }, 'INVALID_DATETIME');
      await rejects({ limit: '0' }, 'VALIDATION_ERROR');
      await rejects({ limit: '1.5' }, 'VALIDATION_ERROR');
      assert.equal(parseSearchQuery({ limit: '50000' }).limit, 10_000, 'a limit above the maximum is the maximum');
      await rejects({ token: 'bm90IGEgdG9rZW4' }, 'INVALID_PAGING_TOKEN');
      await rejects({ query: '{"platform":{"like":"x"}}' }, 'VALIDATION_ERROR');
      await rejects({ 'collections[]': 'x' }, 'UNKNOWN_PARAMETER');
      await rejects({ collections: ['land'], limit: 5.5 }, 'VALIDATION_ERROR', true);
      await rejects({ collections: 'land', fields: { include: [1] } }, 'VALIDATION_ERROR', true);
      // Values are bind parameters: SQL in an id is just an id that does not exist.
      assert.deepEqual(await ids({ ids: "x'); DROP TABLE catalog.items; --", collections: "land' OR '1'='1" }), []);
      // A token from one order does not page another.
      const page = await search(parseSearchQuery({ limit: '1' }));
      await rejects({ token: page.next!, sortby: 'id' }, 'INVALID_PAGING_TOKEN');
    });
  });
}
