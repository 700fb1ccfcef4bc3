import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseCql2, type MeridianError } from '@meridian/core';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import { STALE, SqlParams, compileCql2, getVisibleCollection, parseItemsQuery, queryItems, type ItemsPage, type VectorCollection } from '../src/index.ts';
import { createVectorFixtures } from '../testing/index.ts';

interface Case {
  cls: string;
  collection: 'places' | 'zones';
  text: string;
  /** The same filter in cql2-json, for at least one case of every class. */
  json?: unknown;
  ids: number[];
}

const ALL_PLACES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const except = (...ids: number[]) => ALL_PLACES.filter((id) => !ids.includes(id));

const CASES: Case[] = [
  { cls: 'basic-cql2', collection: 'places', text: 'pop > 1000000', json: { op: '>', args: [{ property: 'pop' }, 1000000] }, ids: [3, 8, 11] },
  { cls: 'basic-cql2', collection: 'places', text: "name = 'Zürich'", ids: [1] },
  { cls: 'basic-cql2', collection: 'places', text: "name <> 'Zürich'", ids: except(1) },
  { cls: 'basic-cql2', collection: 'places', text: "name = 'O''Brien'", ids: [5] },
  { cls: 'basic-cql2', collection: 'places', text: 'pop IS NULL', json: { op: 'isNull', args: [{ property: 'pop' }] }, ids: [5] },
  { cls: 'basic-cql2', collection: 'places', text: 'pop IS NOT NULL', ids: except(5) },
  { cls: 'basic-cql2', collection: 'places', text: 'active = true AND score >= 8', ids: [1, 6, 7, 8] },
  { cls: 'basic-cql2', collection: 'places', text: 'NOT (active = true) OR active IS NULL', ids: [3, 5, 9, 10, 12] },
  { cls: 'basic-cql2', collection: 'places', text: "founded < DATE('1300-01-01')", ids: [1, 2, 4] },
  { cls: 'basic-cql2', collection: 'places', text: 'TRUE', ids: ALL_PLACES },
  { cls: 'basic-cql2', collection: 'places', text: 'FALSE', ids: [] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: "name LIKE 'Z%'", json: { op: 'like', args: [{ property: 'name' }, 'Z%'] }, ids: [1] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: "name LIKE '100\\%%'", ids: [12] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: "name LIKE '%\\_%'", ids: [12] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: "name NOT LIKE '%a%'", ids: [1, 2, 5, 6, 11, 12] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: 'pop BETWEEN 100000 AND 400000', json: { op: 'between', args: [{ property: 'pop' }, 100000, 400000] }, ids: [2, 4, 7] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: "name IN ('Suva', 'Apia', 'Nowhere')", json: { op: 'in', args: [{ property: 'name' }, ['Suva', 'Apia', 'Nowhere']] }, ids: [9, 10] },
  { cls: 'advanced-comparison-operators', collection: 'places', text: 'pop NOT IN (1, 36735)', ids: except(5, 10, 12) },
  { cls: 'case-insensitive-comparison', collection: 'places', text: "CASEI(name) = casei('ZÜRICH')", json: { op: '=', args: [{ op: 'casei', args: [{ property: 'name' }] }, { op: 'casei', args: ['ZÜRICH'] }] }, ids: [1] },
  { cls: 'case-insensitive-comparison', collection: 'places', text: "CASEI(name) LIKE casei('são%')", ids: [3] },
  { cls: 'accent-insensitive-comparison', collection: 'places', text: "ACCENTI(name) = accenti('Zurich')", json: { op: '=', args: [{ op: 'accenti', args: [{ property: 'name' }] }, { op: 'accenti', args: ['Zurich'] }] }, ids: [1] },
  { cls: 'accent-insensitive-comparison', collection: 'places', text: "ACCENTI(name) = 'Alesund'", ids: [6] },
  { cls: 'accent-insensitive-comparison', collection: 'places', text: "ACCENTI(CASEI(name)) LIKE ACCENTI(CASEI('%VIK'))", ids: [7] },
  {
    cls: 'basic-spatial-functions', collection: 'places', text: 'S_INTERSECTS(geometry, POLYGON((0 40, 20 40, 20 70, 0 70, 0 40)))',
    json: { op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [[[0, 40], [20, 40], [20, 70], [0, 70], [0, 40]]] }] }, ids: [1, 2, 4, 6],
  },
  { cls: 'basic-spatial-functions', collection: 'places', text: 'S_INTERSECTS(geometry, BBOX(170, -40, -170, -10))', ids: [8, 9, 10] },
  { cls: 'spatial-functions', collection: 'places', text: 'S_WITHIN(geometry, BBOX(-180, -90, 0, 0))', ids: [3, 10, 11] },
  { cls: 'spatial-functions', collection: 'places', text: 'S_DISJOINT(geometry, BBOX(-180, -90, 180, 0))', ids: [1, 2, 4, 5, 6, 7, 12] },
  { cls: 'spatial-functions', collection: 'places', text: 'S_EQUALS(geometry, POINT(0.5 0.5))', ids: [12] },
  { cls: 'spatial-functions', collection: 'zones', text: 'S_CONTAINS(geometry, POINT(5 2))', json: { op: 's_contains', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [5, 2] }] }, ids: [1] },
  { cls: 'spatial-functions', collection: 'zones', text: 'S_CONTAINS(geometry, POINT(5 5))', ids: [] },
  { cls: 'spatial-functions', collection: 'zones', text: 'S_TOUCHES(geometry, LINESTRING(30 0, 30 10))', ids: [2] },
  { cls: 'spatial-functions', collection: 'zones', text: 'S_CROSSES(geometry, LINESTRING(-5 5, 25 5))', ids: [1, 2] },
  { cls: 'spatial-functions', collection: 'zones', text: 'S_OVERLAPS(geometry, POLYGON((42 2, 60 2, 60 3, 42 3, 42 2)))', ids: [4] },
  { cls: 'temporal-functions', collection: 'places', text: "T_BEFORE(founded, DATE('1300-01-01'))", json: { op: 't_before', args: [{ property: 'founded' }, { date: '1300-01-01' }] }, ids: [1, 2, 4] },
  { cls: 'temporal-functions', collection: 'places', text: "T_AFTER(founded, TIMESTAMP('1850-01-01T00:00:00Z'))", ids: [9, 12] },
  { cls: 'temporal-functions', collection: 'places', text: "T_DURING(founded, INTERVAL('1800-01-01', '1900-01-01'))", ids: [6, 8, 9, 10] },
  { cls: 'temporal-functions', collection: 'places', text: "T_INTERSECTS(founded, INTERVAL('..', '1300-01-01'))", ids: [1, 2, 4] },
  { cls: 'temporal-functions', collection: 'zones', text: "T_AFTER(observed, TIMESTAMP('2021-01-01T00:00:00Z'))", json: { op: 't_after', args: [{ property: 'observed' }, { timestamp: '2021-01-01T00:00:00Z' }] }, ids: [2, 4] },
  { cls: 'temporal-functions', collection: 'zones', text: "T_EQUALS(observed, TIMESTAMP('2022-03-01T08:00:00.5Z'))", ids: [4] },
  { cls: 'temporal-functions', collection: 'zones', text: "T_BEFORE(observed, DATE('2021-01-01'))", ids: [5] },
  { cls: 'temporal-functions', collection: 'zones', text: "T_DISJOINT(observed, INTERVAL('2021-01-01T00:00:00Z', '2021-12-31T00:00:00Z'))", ids: [4, 5] },
  { cls: 'temporal-functions', collection: 'zones', text: "T_MEETS(INTERVAL('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'), observed)", ids: [1] },
  { cls: 'temporal-functions', collection: 'zones', text: "T_STARTS(observed, INTERVAL('2021-06-15T12:30:00Z', '..'))", ids: [2] },
  { cls: 'array-functions', collection: 'places', text: "A_CONTAINS(tags, ('port'))", json: { op: 'a_contains', args: [{ property: 'tags' }, ['port']] }, ids: [4, 6, 7, 8, 9, 10] },
  { cls: 'array-functions', collection: 'places', text: "A_CONTAINEDBY(tags, ('city', 'lake', 'port'))", ids: except(3, 5) },
  { cls: 'array-functions', collection: 'places', text: "A_EQUALS(tags, ('port', 'city'))", ids: [7] },
  { cls: 'array-functions', collection: 'places', text: "A_OVERLAPS(tags, ('megacity', 'lake'))", ids: [1, 2, 3] },
  { cls: 'arithmetic', collection: 'places', text: 'pop / 1000 > 2000', json: { op: '>', args: [{ op: '/', args: [{ property: 'pop' }, 1000] }, 2000] }, ids: [3, 11] },
  { cls: 'arithmetic', collection: 'places', text: 'score * 2 + 1 >= 18', ids: [1, 7] },
  { cls: 'arithmetic', collection: 'places', text: 'pop % 2 = 1', ids: [1, 4, 7, 10, 12] },
  { cls: 'arithmetic', collection: 'places', text: 'pop div 1000000 = 2', ids: [11] },
  { cls: 'arithmetic', collection: 'places', text: 'score ^ 2 > 80', ids: [7] },
  { cls: 'property-property', collection: 'places', text: 'pop < score * 100000', json: { op: '<', args: [{ property: 'pop' }, { op: '*', args: [{ property: 'score' }, 100000] }] }, ids: [1, 2, 4, 6, 7, 9, 10, 12] },
  { cls: 'property-property', collection: 'zones', text: 'label = kind', ids: [] },
];

describe('CQL2 → SQL: a STAC-style resolver (JSON paths) shares the compiler', () => {
  it('binds every literal and writes only the resolver\'s SQL for properties', () => {
    const params = new SqlParams();
    const resolve = (name: string) => (name === 'eo:cloud_cover' ? { sql: `(properties->>'eo:cloud_cover')::double precision`, type: { kind: 'number' as const } } : undefined);
    const sql = compileCql2(parseCql2("\"eo:cloud_cover\" < 10 AND \"eo:cloud_cover\" <> 3.5", 'cql2-text'), { resolve, params });
    assert.equal(sql, "(((properties->>'eo:cloud_cover')::double precision < $1::bigint) AND ((properties->>'eo:cloud_cover')::double precision <> $2::double precision))");
    assert.deepEqual(params.values, [10, 3.5]);
  });
});

for (const kind of TEST_BACKENDS) {
  describe(`CQL2 filters on ${kind}`, () => {
    let t: TestDb;
    const collections: Record<string, VectorCollection> = {};
    before(async () => {
      t = await createTestDb(kind);
      await createVectorFixtures(t.db);
      for (const id of ['places', 'zones']) collections[id] = (await getVisibleCollection(t.db, id, 'reviewer'))!;
    });
    after(() => t.drop());

    async function ids(collection: string, query: Record<string, unknown>): Promise<number[]> {
      const c = collections[collection]!;
      const page = await queryItems(t.db, c, parseItemsQuery({ limit: 100, ...query }, c), 'reviewer');
      assert.notEqual(page, STALE, 'the collection is current');
      return (JSON.parse((page as ItemsPage).featuresJson) as { id: number }[]).map((f) => f.id).sort((a, b) => a - b);
    }

    for (const c of CASES) {
      it(`${c.cls}: ${c.text}`, async () => {
        assert.deepEqual(await ids(c.collection, { filter: c.text }), c.ids, 'cql2-text');
        if (c.json !== undefined) assert.deepEqual(await ids(c.collection, { filter: JSON.stringify(c.json), 'filter-lang': 'cql2-json' }), c.ids, 'cql2-json');
      });
    }

    it('reads geometry literals in filter-crs (EPSG:4326 is latitude first, EPSG:3857 in metres)', async () => {
      assert.deepEqual(await ids('places', { filter: 'S_INTERSECTS(geometry, BBOX(40, 0, 70, 20))', 'filter-crs': 'http://www.opengis.net/def/crs/EPSG/0/4326' }), [1, 2, 4, 6]);
      assert.deepEqual(await ids('places', { filter: 'S_INTERSECTS(geometry, BBOX(0, 4865942, 2226390, 11068715))', 'filter-crs': 'http://www.opengis.net/def/crs/EPSG/0/3857' }), [1, 2, 4, 6]);
    });

    const rejected: [string, string, number][] = [
      ['nope = 1', 'UNKNOWN_PROPERTY', 400],
      ['"name"" OR 1=1 --" = \'x\'', 'UNKNOWN_PROPERTY', 400],
      ['name > 5', 'CQL2_INVALID', 400],
      ["pop = '5'", 'CQL2_INVALID', 400],
      ["founded > '2000-01-01'", 'CQL2_INVALID', 400],
      ['S_INTERSECTS(name, POINT(0 0))', 'CQL2_INVALID', 400],
      ["T_AFTER(name, DATE('2020-01-01'))", 'CQL2_INVALID', 400],
      ["A_CONTAINS(name, ('x'))", 'CQL2_INVALID', 400],
      ['A_CONTAINS(tags, (1, 2))', 'CQL2_INVALID', 400],
      ['upper(name) = 1', 'CQL2_INVALID', 400],
      ["name = 'x'; DROP TABLE geo.places", 'CQL2_INVALID', 400],
      ['pop / 0 > 1', 'VALIDATION_ERROR', 400],
    ];
    for (const [filter, code, status] of rejected) {
      it(`rejects ${filter} with ${code}`, async () => {
        await assert.rejects(ids('places', { filter }), (error: MeridianError) => error.code === code && error.status === status);
      });
    }

    it('treats quotes and SQL in literals as data', async () => {
      assert.deepEqual(await ids('places', { filter: "name = 'x''; DROP TABLE geo.places; --'" }), []);
      assert.equal((await t.db.query('SELECT count(*) AS n FROM geo.places')).rows[0]!.n, 12);
    });
  });
}
