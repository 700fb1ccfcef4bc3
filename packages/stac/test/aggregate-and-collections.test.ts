import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MeridianError } from '@meridian/core';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import {
  aggregateItems, availableAggregations, getRegisteredSearch, parseAggregateBody, parseAggregateQuery, parseCollectionSearch,
  queryablesOf, registerSearch, registeredSearchItems, searchCollections, searchIdOf, type Aggregation,
} from '../src/index.ts';
import { loadSearchFixtures } from './fixtures.ts';

for (const kind of TEST_BACKENDS) {
  describe(`aggregation, collection search, queryables and registered searches (${kind})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
      await loadSearchFixtures(t.db);
    });
    after(() => t.drop());

    const byName = (aggregations: Aggregation[]) => Object.fromEntries(aggregations.map((a) => [a.name, a]));

    it('counts by collection, by datetime interval and by a property, and totals exactly', async () => {
      const result = byName(await aggregateItems(t.db, parseAggregateQuery({
        aggregations: 'total_count,datetime_min,datetime_max,collection_frequency,datetime_frequency,platform_frequency',
        datetime_frequency_interval: 'year',
      }), 'public'));
      assert.deepEqual(result.total_count, { name: 'total_count', data_type: 'integer', value: 35, estimated: false });
      assert.equal(result.datetime_min!.value, '2021-01-01T00:00:00.000Z');
      assert.equal(result.datetime_max!.value, '2022-06-01T00:00:00.000Z');
      assert.deepEqual(result.collection_frequency!.buckets!.map((b) => [b.key, b.frequency]), [['land', 30], ['sea', 5]]);
      assert.deepEqual(result.datetime_frequency!.buckets!.map((b) => [b.key, b.frequency]), [['2021-01-01T00:00:00Z', 30], ['2022-01-01T00:00:00Z', 5]]);
      assert.deepEqual(result.platform_frequency!.buckets!.map((b) => [b.key, b.frequency]), [['alpha', 15], ['beta', 15], ['null', 5]]);
      const filtered = byName(await aggregateItems(t.db, parseAggregateBody({ aggregations: ['total_count', 'eo:cloud_cover_frequency'], filter: { op: '<', args: [{ property: 'eo:cloud_cover' }, 10] } }), 'public'));
      assert.equal(filtered.total_count!.value, 3);
      assert.deepEqual(filtered['eo:cloud_cover_frequency']!.buckets!.map((b) => b.key).sort(), ['3', '6', '9']);
      const reviewer = byName(await aggregateItems(t.db, parseAggregateQuery({ aggregations: 'total_count' }), 'reviewer'));
      assert.equal(reviewer.total_count!.value, 40);
    });

    it('lists the aggregations available and refuses others', async () => {
      const names = availableAggregations(await queryablesOf(t.db, ['land'], 'public')).map((a) => a.name);
      for (const name of ['total_count', 'collection_frequency', 'datetime_frequency', 'platform_frequency', 'eo:cloud_cover_frequency']) assert.ok(names.includes(name), name);
      assert.equal(names.includes('geometry_frequency'), false);
      await assert.rejects(aggregateItems(t.db, parseAggregateQuery({ aggregations: 'geometry_frequency' }), 'public'), (e: unknown) => e instanceof MeridianError && e.code === 'VALIDATION_ERROR');
      assert.throws(() => parseAggregateQuery({ datetime_frequency_interval: 'fortnight' }), (e: unknown) => e instanceof MeridianError && e.code === 'VALIDATION_ERROR');
    });

    it('searches collections by free text, bbox and datetime, with keyset paging', async () => {
      const ids = async (query: Record<string, string>, visibility: 'public' | 'reviewer' = 'public') =>
        (await searchCollections(t.db, parseCollectionSearch(query), visibility)).collections.map((c) => c.collection.id);
      assert.deepEqual(await ids({}), ['land', 'sea']);
      assert.deepEqual(await ids({}, 'reviewer'), ['land', 'pending', 'sea', 'secret']);
      assert.deepEqual(await ids({ q: 'OCEAN' }), ['sea']);
      assert.deepEqual(await ids({ q: 'nothing,terrain' }), ['land']);
      assert.deepEqual(await ids({ bbox: '175,40,178,60' }), ['sea']);
      assert.deepEqual(await ids({ bbox: '-179,40,-175,60' }), ['sea']);
      assert.deepEqual(await ids({ bbox: '0,0,0.5,0.5' }), ['land']);
      assert.deepEqual(await ids({ datetime: '2030-01-01T00:00:00Z' }), ['sea']);
      assert.deepEqual(await ids({ datetime: '../2021-06-01T00:00:00Z' }), ['land']);
      const first = await searchCollections(t.db, parseCollectionSearch({ limit: '1' }), 'reviewer');
      assert.equal(first.numberMatched, 4);
      const second = await searchCollections(t.db, { limit: 2, token: first.next! }, 'reviewer');
      assert.deepEqual(second.collections.map((c) => c.collection.id), ['pending', 'sea']);
      assert.throws(() => parseCollectionSearch({ filter: 'x' }), (e: unknown) => e instanceof MeridianError && e.code === 'UNKNOWN_PARAMETER');
    });

    it('derives queryables from collection summaries', async () => {
      const land = await queryablesOf(t.db, ['land'], 'public');
      assert.deepEqual(land.platform, { title: 'Platform', type: 'string' });
      assert.equal(land['eo:cloud_cover']!.type, 'number');
      assert.equal(land.instruments!.type, 'array');
      assert.equal(land.geometry!.$ref, 'https://geojson.org/schema/Geometry.json');
    });

    it('registers mosaic searches under a stable id and serves their items tile by tile', async () => {
      const request = { collections: ['land'], filter: { op: '<', args: [{ property: 'eo:cloud_cover' }, 20] }, sortby: [{ field: 'datetime', direction: 'asc' }] };
      const first = await registerSearch(t.db, request);
      // Pinned: the id of a search must never change with the software.
      assert.equal(first.searchId, 'c2817ea8b8d888346b05b496dfcbe05d');
      assert.equal(first.created, true);
      // Key order does not matter, and the id is the hash of the stored request itself.
      const again = await registerSearch(t.db, { sortby: request.sortby, filter: request.filter, collections: ['land'], limit: 5 });
      assert.deepEqual([again.searchId, again.created], [first.searchId, false]);
      assert.equal(searchIdOf(first.request), first.searchId);
      assert.deepEqual((await getRegisteredSearch(t.db, first.searchId))!.request, first.request);
      const tile = await registeredSearchItems(t.db, first.searchId, { within: [2.5, -1, 10.5, 1], limit: 100 }, 'public');
      assert.deepEqual(tile.items.map((i) => i.id), ['land-03', 'land-04', 'land-05', 'land-06']);
      await assert.rejects(registerSearch(t.db, { collections: ['land'], filter: 'nonsense ===' }), (e: unknown) => e instanceof MeridianError && e.code === 'CQL2_INVALID');
      await assert.rejects(registeredSearchItems(t.db, '0'.repeat(32), { limit: 1 }, 'public'), (e: unknown) => e instanceof MeridianError && e.code === 'STAC_SEARCH_NOT_FOUND');
    });
  });
}
