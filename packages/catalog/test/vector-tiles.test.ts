import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MeridianError } from '@meridian/core';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import { MAX_TILE_BYTES, STALE, getVisibleCollection, renderTile, tileJson, upsertVectorTable, type TileAddress, type VectorCollection } from '../src/index.ts';
import { PLACES, createVectorFixtures, decodeTile, ringArea, type DecodedFeature } from '../testing/index.ts';

/** Where a lon/lat lands in tile z/x/y, in tile units: the expectation both backends are held to. */
function toTile(lon: number, lat: number, z: number, x: number, y: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const px = (((lon + 180) / 360) * n - x) * 4096;
  const py = (((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n - y) * 4096;
  return [Math.round(px), Math.round(py)];
}

function near(actual: readonly number[], expected: readonly number[], message: string): void {
  assert.ok(Math.abs(actual[0]! - expected[0]!) <= 1 && Math.abs(actual[1]! - expected[1]!) <= 1, `${message}: ${actual} vs ${expected}`);
}

/** A ring's distinct vertices in a canonical order, so rings starting elsewhere or wound the other way compare equal. */
function vertices(ring: readonly [number, number][]): string[] {
  return [...new Set(ring.map(([x, y]) => `${x},${y}`))].sort();
}

for (const kind of TEST_BACKENDS) {
  describe(`vector tiles on ${kind}`, () => {
    let t: TestDb;
    const c: Record<string, VectorCollection> = {};
    before(async () => {
      t = await createTestDb(kind);
      await createVectorFixtures(t.db);
      await t.db.execScript(`
        CREATE TABLE geo.roads (id integer PRIMARY KEY, ref text, geom geometry(LineString, 4326));
        INSERT INTO geo.roads VALUES (1, 'A1', ST_GeomFromText('LINESTRING(1 1, 20 20, 40 1)', 4326)),
                                     (2, NULL, ST_GeomFromText('LINESTRING(-10 -10, -20 -20)', 4326));
        -- 24,000 small squares packed into 10 x 6 degrees: more than a low-zoom tile may carry.
        CREATE TABLE geo.dense AS SELECT n AS id, n % 7 AS class,
            ST_Multi(ST_MakeEnvelope(10 + (n % 200) * 0.05, 10 + (n / 200) * 0.05, 10.04 + (n % 200) * 0.05, 10.04 + (n / 200) * 0.05, 4326)) AS geom
          FROM generate_series(0, 23999) AS n;
        CREATE INDEX ON geo.dense USING gist (geom);
        -- Squares a few metres wide: smaller than a tile unit until zoom ~14.
        CREATE TABLE geo.specks AS SELECT n AS id, ST_MakeEnvelope(n * 0.1, 0, n * 0.1 + 0.00001, 0.00001, 4326) AS geom FROM generate_series(1, 50) AS n;
        ANALYZE geo.dense;`);
      await upsertVectorTable(t.db, { tableName: 'roads', title: 'Roads', geometryType: 'LineString', bbox: [-20, -20, 40, 20], featureCount: 2, columns: [{ name: 'ref', type: 'text' }], served: true });
      await upsertVectorTable(t.db, { tableName: 'dense', title: 'Dense', geometryType: 'MultiPolygon', bbox: [10, 10, 20, 16], featureCount: 24000, columns: [{ name: 'class', type: 'integer' }], served: true });
      await upsertVectorTable(t.db, { tableName: 'specks', title: 'Specks', geometryType: 'Polygon', bbox: [0.1, 0, 5.1, 0.1], featureCount: 50, columns: [], served: true });
      for (const id of ['places', 'zones', 'roads', 'dense', 'specks']) c[id] = (await getVisibleCollection(t.db, id, 'reviewer'))!;
    });
    after(() => t.drop());

    /** A tile as a reviewer sees it; the collections are current, so the catalog guard holds. */
    async function render(collection: VectorCollection, tile: TileAddress): Promise<Buffer | undefined> {
      const bytes = await renderTile(t.db, collection, tile, 'reviewer');
      assert.notEqual(bytes, STALE);
      return bytes as Buffer | undefined;
    }

    async function decoded(collection: string, z: number, x: number, y: number): Promise<DecodedFeature[]> {
      const bytes = await render(c[collection]!, { z, x, y });
      assert.ok(bytes, `tile ${z}/${x}/${y} of ${collection} is not empty`);
      const layers = decodeTile(bytes);
      assert.deepEqual(Object.keys(layers), [collection]);
      assert.equal(layers[collection]!.extent, 4096);
      return layers[collection]!.features.sort((a, b) => a.id! - b.id!);
    }

    it('puts every point at its place with its attributes (NULLs left out)', async () => {
      const features = await decoded('places', 0, 0, 0);
      assert.deepEqual(features.map((f) => f.id), PLACES.map((p) => p.id));
      for (const feature of features) {
        const place = PLACES.find((p) => p.id === feature.id)!;
        assert.equal(feature.type, 1);
        near(feature.rings[0]![0]!, toTile(place.lon, place.lat, 0, 0, 0), place.name ?? '');
      }
      assert.deepEqual(features[0]!.properties, { name: 'Zürich', pop: 415367, score: 8.5, active: true, tags: '["city","lake"]', founded: '1218-01-01' });
      assert.deepEqual(features.find((f) => f.id === 5)!.properties, { name: "O'Brien" });
      assert.deepEqual(features.find((f) => f.id === 12)!.properties, { name: '100% pure_test', pop: 1, score: 0.5, active: false, tags: '[]', founded: '2000-01-01' });
    });

    it('clips polygons to the tile, keeps holes as negative-area rings, and writes timestamps in UTC', async () => {
      const features = await decoded('zones', 1, 1, 0);
      assert.deepEqual(features.map((f) => f.id), [1, 2, 3, 4, 5]);
      const zone1 = features[0]!;
      assert.equal(zone1.type, 3);
      assert.equal(zone1.rings.length, 2);
      const [outer, hole] = zone1.rings as [[number, number][], [number, number][]];
      assert.ok(ringArea(outer) > 0, 'exterior ring has positive area (MVT clockwise)');
      assert.ok(ringArea(hole) < 0, 'hole has negative area');
      const corners = (points: [number, number][]) => vertices(points.map(([lon, lat]) => toTile(lon, lat, 1, 1, 0)));
      assert.deepEqual(vertices(outer), corners([[0, 0], [10, 0], [10, 10], [0, 10]]));
      assert.deepEqual(vertices(hole), corners([[4, 4], [4, 6], [6, 6], [6, 4]]));
      assert.equal(features[3]!.rings.length, 2, 'a multipolygon keeps both parts');
      assert.deepEqual(zone1.properties, { label: 'Zone Élan', kind: 'park', area_km2: 12.5, observed: '2021-01-01T00:00:00Z', meta: '{"n": 1, "source": "fixture"}' });
      assert.deepEqual(features[2]!.properties, { kind: 'park', meta: '{"n": 3, "source": "fixture"}' });
      assert.equal(features[3]!.properties.label, '東京区');
      assert.equal(features[3]!.properties.observed, '2022-03-01T08:00:00.5Z');
      // A zoom-6 tile over zone 1's north-east corner holds only the part inside the tile and its buffer.
      const [clipped, ...others] = await decoded('zones', 6, 33, 30);
      assert.equal(others.length, 0);
      assert.equal(clipped!.id, 1);
      for (const [x, y] of clipped!.rings.flat()) assert.ok(x >= -64 && x <= 4160 && y >= -64 && y <= 4160, `${x},${y} inside the buffer`);
    });

    it('writes lines with their vertices', async () => {
      const [road] = await decoded('roads', 0, 0, 0);
      assert.equal(road!.type, 2);
      assert.equal(road!.rings[0]!.length, 3);
      [[1, 1], [20, 20], [40, 1]].forEach(([lon, lat], i) => near(road!.rings[0]![i]!, toTile(lon!, lat!, 0, 0, 0), `vertex ${i}`));
      assert.deepEqual(road!.properties, { ref: 'A1' });
    });

    it('returns nothing for an empty tile and for features smaller than a tile unit', async () => {
      assert.equal(await render(c.places!, { z: 10, x: 0, y: 0 }), undefined);
      assert.equal(await render(c.specks!, { z: 4, x: 8, y: 7 }), undefined);
      const close = await decoded('specks', 16, 32786, 32767);
      assert.ok(close.length >= 1, 'visible when zoomed in');
    });

    it('thins a tile that would hold too many features, deterministically and under the size limit', async () => {
      const bytes = (await render(c.dense!, { z: 3, x: 4, y: 3 }))!;
      const again = (await render(c.dense!, { z: 3, x: 4, y: 3 }))!;
      assert.ok(bytes.length <= MAX_TILE_BYTES, `${bytes.length} bytes`);
      assert.deepEqual(again, bytes, 'the same tile twice');
      const count = decodeTile(bytes).dense!.features.length;
      assert.ok(count > 2_000 && count <= 15_000, `${count} of 24000 features`);
      const zoomed = decodeTile((await render(c.dense!, { z: 10, x: 540, y: 480 }))!).dense!.features.length;
      assert.ok(zoomed > 0 && zoomed < 2_000, `${zoomed} features at z10, all of them`);
    });

    it('refuses tiles outside WebMercatorQuad', async () => {
      for (const tile of [{ z: 23, x: 0, y: 0 }, { z: 2, x: 4, y: 0 }, { z: 2, x: 0, y: -1 }, { z: -1, x: 0, y: 0 }]) {
        await assert.rejects(renderTile(t.db, c.places!, tile, 'reviewer'), (error: MeridianError) => error.code === 'TILE_OUT_OF_RANGE' && error.status === 404);
      }
    });

    it('describes the layer in TileJSON', () => {
      const doc = tileJson(c.zones!, 'http://x/{z}/{x}/{y}.pbf') as { vector_layers: { id: string; fields: Record<string, string> }[]; bounds: number[] };
      assert.deepEqual(doc.bounds, [0, 0, 101, 51]);
      assert.deepEqual(doc.vector_layers[0], {
        id: 'zones', description: 'Polygons with a timestamp', minzoom: 0, maxzoom: 22,
        fields: { label: 'String', kind: 'String', area_km2: 'Number', observed: 'String', meta: 'String' },
      });
    });
  });
}
