import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MeridianError } from '@meridian/core';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import {
  EPSG_3857, EPSG_4326, EXACT_COUNT_THRESHOLD, STALE, getVisibleCollection, parseCrs, parseItemsQuery, queryFeature, queryItems, upsertVectorTable,
  type ItemsPage, type VectorCollection,
} from '../src/index.ts';
import { createVectorFixtures } from '../testing/index.ts';

interface Feature {
  id: number;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown>;
}

for (const kind of TEST_BACKENDS) {
  describe(`features queries on ${kind}`, () => {
    let t: TestDb;
    const c: Record<string, VectorCollection> = {};
    before(async () => {
      t = await createTestDb(kind);
      await createVectorFixtures(t.db);
      // Enough rows that counting them exactly is not worth it.
      await t.db.execScript(`
        CREATE TABLE geo.many AS SELECT n AS id, n % 1000 AS bucket, ST_SetSRID(ST_MakePoint(n % 360 - 180, (n % 170) - 85), 4326) AS geom
          FROM generate_series(1, ${2 * EXACT_COUNT_THRESHOLD}) AS n;
        ANALYZE geo.many;`);
      await upsertVectorTable(t.db, { tableName: 'many', title: 'Many', geometryType: 'Point', featureCount: 2 * EXACT_COUNT_THRESHOLD, columns: [{ name: 'bucket', type: 'integer' }], served: true });
      // More attributes than json_build_object can take in one call.
      const wide = Array.from({ length: 60 }, (_, i) => `c${i + 1}`);
      await t.db.execScript(`CREATE TABLE geo.wide (id integer PRIMARY KEY, ${wide.map((name) => `${name} integer`).join(', ')}, geom geometry(Point, 4326));
        INSERT INTO geo.wide VALUES (1, ${wide.map((_, i) => i + 1).join(', ')}, ST_SetSRID(ST_MakePoint(1, 2), 4326));`);
      await upsertVectorTable(t.db, { tableName: 'wide', title: 'Wide', geometryType: 'Point', featureCount: 1, columns: wide.map((name) => ({ name, type: 'integer' })), served: true });
      for (const id of ['places', 'zones', 'many', 'wide']) c[id] = (await getVisibleCollection(t.db, id, 'reviewer'))!;
    });
    after(() => t.drop());

    async function page(collection: string, query: Record<string, unknown>) {
      const result = await queryItems(t.db, c[collection]!, parseItemsQuery(query, c[collection]!), 'reviewer');
      assert.notEqual(result, STALE, 'the collection is current');
      const current = result as ItemsPage;
      return { ...current, parsed: JSON.parse(current.featuresJson) as Feature[] };
    }
    const ids = async (collection: string, query: Record<string, unknown>) => (await page(collection, { limit: 100, ...query })).parsed.map((f) => f.id);
    const rejects = (collection: string, query: Record<string, unknown>, code: string) =>
      assert.rejects(page(collection, query), (error: MeridianError) => error.code === code && error.status < 500, `${JSON.stringify(query)} → ${code}`);

    it('pages by limit and offset in id order, with an exact numberMatched', async () => {
      const seen: number[] = [];
      for (const offset of [0, 5, 10]) {
        const p = await page('places', { limit: 5, offset });
        assert.equal(p.numberMatched, 12);
        assert.equal(p.numberMatchedEstimated, false);
        assert.equal(p.numberReturned, offset === 10 ? 2 : 5);
        seen.push(...p.parsed.map((f) => f.id));
      }
      assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const beyond = await page('places', { limit: 5, offset: 50 });
      assert.equal(beyond.numberReturned, 0);
      assert.equal(beyond.numberMatched, 12);
      assert.equal((await page('places', {})).numberReturned, 10, 'default limit');
    });

    it('estimates numberMatched above the threshold and flags it; counts exactly below it', async () => {
      const big = await page('many', { limit: 10 });
      assert.equal(big.numberMatchedEstimated, true);
      assert.ok(Math.abs(big.numberMatched - 2 * EXACT_COUNT_THRESHOLD) < EXACT_COUNT_THRESHOLD / 2, String(big.numberMatched));
      const small = await page('many', { limit: 10, bucket: '7' });
      assert.equal(small.numberMatchedEstimated, false);
      assert.equal(small.numberMatched, 20);
    });

    it('filters by bbox in CRS84, across the antimeridian, and in bbox-crs', async () => {
      assert.deepEqual(await ids('places', { bbox: '0,40,20,70' }), [1, 2, 4, 6]);
      assert.deepEqual(await ids('places', { bbox: '0,40,-100,20,70,100' }), [1, 2, 4, 6]);
      assert.deepEqual(await ids('places', { bbox: '170,-40,-170,-10' }), [8, 9, 10]);
      assert.deepEqual(await ids('places', { bbox: '40,0,70,20', 'bbox-crs': EPSG_4326 }), [1, 2, 4, 6]);
      assert.deepEqual(await ids('places', { bbox: '0,4865942,2226390,11068715', 'bbox-crs': EPSG_3857 }), [1, 2, 4, 6]);
      assert.deepEqual(await ids('zones', { bbox: '4.5,4.5,5.5,5.5' }), [], 'inside the hole of zone 1');
      for (const bbox of ['0,40,20', 'a,b,c,d', '0,95,10,96', '0,50,10,40', '0,,1,2']) await rejects('places', { bbox }, 'INVALID_BBOX');
      await rejects('places', { bbox: '0,0,1,1', 'bbox-crs': 'EPSG:4326' }, 'INVALID_CRS');
    });

    it('filters by datetime instants and intervals with open ends', async () => {
      assert.deepEqual(await ids('zones', { datetime: '2021-06-15T12:30:00Z' }), [2]);
      assert.deepEqual(await ids('zones', { datetime: '2021-06-15T14:30:00+02:00' }), [2]);
      assert.deepEqual(await ids('zones', { datetime: '2021-01-01T00:00:00Z/2021-12-31T23:59:59Z' }), [1, 2]);
      assert.deepEqual(await ids('zones', { datetime: '../2021-01-01T00:00:00Z' }), [1, 5]);
      assert.deepEqual(await ids('zones', { datetime: '2022-01-01/..' }), [4]);
      assert.deepEqual(await ids('zones', { datetime: '2022-01-01/' }), [4]);
      assert.deepEqual(await ids('zones', { datetime: '2021-01-01' }), [1]);
      for (const datetime of ['2021-13-01', 'yesterday', 'a/b/c', '2022-01-01/2021-01-01', '2021-02-30T00:00:00Z']) await rejects('zones', { datetime }, 'INVALID_DATETIME');
      await rejects('places', { datetime: '2021-01-01' }, 'INVALID_DATETIME');
    });

    it('filters by property=value for queryables, typed by the column', async () => {
      assert.deepEqual(await ids('places', { name: 'Zürich' }), [1]);
      assert.deepEqual(await ids('places', { active: 'false' }), [3, 9, 10, 12]);
      assert.deepEqual(await ids('places', { pop: '1', active: 'false' }), [12]);
      assert.deepEqual(await ids('places', { founded: '1218-01-01' }), [1]);
      assert.deepEqual(await ids('zones', { observed: '2021-06-15T12:30:00Z' }), [2]);
      await rejects('places', { pop: 'many' }, 'VALIDATION_ERROR');
      await rejects('places', { active: 'yes' }, 'VALIDATION_ERROR');
      await rejects('places', { tags: 'port' }, 'VALIDATION_ERROR');
      await rejects('places', { name: ['a', 'b'] }, 'VALIDATION_ERROR');
      await rejects('places', { etl_batch_id: 'batch-1' }, 'UNKNOWN_PARAMETER');
      await rejects('places', { "name' OR 1=1": 'x' }, 'UNKNOWN_PARAMETER');
    });

    it('sorts by sortby with NULLs last, the id breaking ties', async () => {
      assert.deepEqual(await ids('places', { sortby: '-score,+name' }), [7, 1, 8, 6, 4, 9, 2, 10, 11, 3, 12, 5]);
      assert.deepEqual(await ids('places', { sortby: ' score' }), [12, 3, 10, 11, 2, 9, 4, 6, 8, 1, 7, 5], 'an unencoded + arrives as a space');
      await rejects('places', { sortby: 'nope' }, 'UNKNOWN_PROPERTY');
      await rejects('places', { sortby: 'name;DROP TABLE geo.places' }, 'UNKNOWN_PROPERTY');
      await rejects('places', { sortby: 'tags' }, 'VALIDATION_ERROR');
    });

    it('returns only the selected properties, the geometry always', async () => {
      const [first] = (await page('places', { limit: 1, properties: 'pop,name' })).parsed;
      assert.deepEqual(first!.properties, { pop: 415367, name: 'Zürich' });
      assert.equal(first!.geometry.type, 'Point');
      const [bare] = (await page('places', { limit: 1, properties: '' })).parsed;
      assert.deepEqual(bare!.properties, {});
      await rejects('places', { properties: 'name,"nope"' }, 'UNKNOWN_PROPERTY');
    });

    it('writes every attribute type faithfully (unicode, NULL, numeric, timestamps in UTC, json)', async () => {
      const zones = (await page('zones', { limit: 10 })).parsed;
      assert.deepEqual(zones.find((f) => f.id === 4)!.properties, { label: '東京区', kind: 'urban', area_km2: 100, observed: '2022-03-01T08:00:00.5Z', meta: { source: 'fixture', n: 4 } });
      assert.deepEqual(zones.find((f) => f.id === 3)!.properties, { label: null, kind: 'park', area_km2: null, observed: null, meta: { source: 'fixture', n: 3 } });
      const places = (await page('places', { limit: 20 })).parsed;
      assert.deepEqual(places.find((f) => f.id === 12)!.properties, { name: '100% pure_test', pop: 1, score: 0.5, active: false, tags: [], founded: '2000-01-01' });
      assert.ok(places.every((f) => !('etl_batch_id' in f.properties)), 'unlisted columns are never served');
    });

    it('writes all properties of a table with more than 50 attributes, in column order', async () => {
      const [feature] = (await page('wide', {})).parsed;
      assert.deepEqual(Object.entries(feature!.properties), Array.from({ length: 60 }, (_, i) => [`c${i + 1}`, i + 1]));
    });

    it('answers in the requested crs: EPSG:4326 latitude first, EPSG:3857 in metres', async () => {
      const lonLat = (await page('places', { limit: 1 })).parsed[0]!.geometry.coordinates;
      assert.deepEqual(lonLat, [8.5417, 47.3769]);
      const latLon = (await page('places', { limit: 1, crs: EPSG_4326 })).parsed[0]!.geometry.coordinates;
      assert.deepEqual(latLon, [47.3769, 8.5417]);
      const [x, y] = (await page('places', { limit: 1, crs: EPSG_3857 })).parsed[0]!.geometry.coordinates as [number, number];
      assert.ok(Math.abs(x - 950857.7) < 1 && Math.abs(y - 6003812.2) < 1, `${x} ${y}`);
      await rejects('places', { crs: 'http://www.opengis.net/def/crs/EPSG/0/27700' }, 'INVALID_CRS');
    });

    it('reads one feature by id, in any supported crs', async () => {
      const feature = JSON.parse((await queryFeature(t.db, c.places!, '7', parseCrs(EPSG_4326, 'crs')))!) as Feature;
      assert.equal(feature.properties.name, 'Reykjavík');
      assert.deepEqual(feature.geometry.coordinates, [64.1466, -21.9426]);
      assert.equal(await queryFeature(t.db, c.places!, '99', parseCrs(undefined, 'crs')), undefined);
      assert.equal(await queryFeature(t.db, c.places!, "1' OR '1'='1", parseCrs(undefined, 'crs')), undefined);
    });

    it('checks limit and offset', async () => {
      for (const limit of ['0', '10001', '2.5', 'ten', '-1']) await rejects('places', { limit }, 'VALIDATION_ERROR');
      await rejects('places', { offset: '-1' }, 'VALIDATION_ERROR');
      assert.equal((await page('places', { limit: '10000' })).numberReturned, 12);
    });
  });
}
