/**
 * An independent client: GDAL's OGC API Features driver (OAPIF) reads the collections and every feature
 * back from a real HTTP server, paging through the next links on its own.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_BACKENDS } from '@meridian/db/testing';
import { PLACES, ZONES, createVectorFixtures } from '@meridian/catalog/testing';
import { createTestApp, type TestApp } from './support.ts';

const run = promisify(execFile);

/** GDAL signs in as the test app's reader through its GDAL_HTTP_HEADERS option. */
let authorization = '';

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  const env = { ...process.env, GDAL_HTTP_HEADERS: `Authorization: ${authorization}` };
  const { stdout } = await run(tool, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env });
  return stdout;
}

interface GeoJsonFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

for (const kind of TEST_BACKENDS) {
  describe(`GDAL's OAPIF client against a live server on ${kind}`, () => {
    let t: TestApp;
    let source: string;
    before(async () => {
      t = await createTestApp({ kind, as: 'reader' });
      authorization = t.authorization!;
      await createVectorFixtures(t.runtime.db);
      source = `OAPIF:${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/features`;
    });
    after(() => t.close());

    it('ogrinfo lists the served layers with their counts, extents and fields', async () => {
      const out = await gdal('ogrinfo', ['-ro', '-al', '-so', source]);
      const layers = [...out.matchAll(/^Layer name: (\S+)$/gm)].map((m) => m[1]);
      assert.deepEqual(layers, ['places', 'zones']);
      assert.match(out, /Feature Count: 12\n/);
      assert.match(out, /Feature Count: 5\n/);
      assert.match(out, /Extent: \(-171\.751400, -36\.848500\) - \(178\.441900, 64\.146600\)/);
      for (const field of ['name: String', 'pop: Integer', 'score: Real', 'tags: StringList', 'founded: Date', 'observed: DateTime', 'area_km2: Real']) {
        assert.ok(out.includes(field), field);
      }
    });

    it('ogr2ogr copies every feature with its attributes and geometry', async () => {
      const places = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, 'places'])).features as GeoJsonFeature[];
      assert.equal(places.length, PLACES.length);
      for (const place of PLACES) {
        const feature = places.find((f) => f.properties.name === place.name)!;
        assert.ok(feature, String(place.name));
        assert.deepEqual(feature.geometry.coordinates, [place.lon, place.lat]);
        assert.equal(feature.properties.pop, place.pop);
        assert.deepEqual(feature.properties.tags, place.tags);
        assert.equal(feature.properties.founded, place.founded);
      }
      const zones = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, 'zones'])).features as GeoJsonFeature[];
      assert.deepEqual(zones.map((f) => f.properties.label), ZONES.map((z) => z.label));
      assert.deepEqual(zones[0]!.geometry, { type: 'MultiPolygon', coordinates: [[[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]]]] });
      assert.equal(Date.parse(String(zones[3]!.properties.observed)), Date.parse('2022-03-01T08:00:00.5Z'));
    });

    it('GDAL\'s server-side bbox and datetime requests return the right features', async () => {
      const spatial = await gdal('ogrinfo', ['-ro', '-q', source, 'places', '-spat', '0', '40', '20', '70']);
      assert.deepEqual([...spatial.matchAll(/^OGRFeature\(places\):(\d+)$/gm)].map((m) => Number(m[1])), [1, 2, 4, 6]);
      // GDAL 3.6 turns this into datetime=2021-02-01T/.. (a date bound with a bare "T").
      const temporal = await gdal('ogrinfo', ['-ro', '-q', source, 'zones', '-where', "observed > '2021-02-01'"]);
      assert.deepEqual([...temporal.matchAll(/^OGRFeature\(zones\):(\d+)$/gm)].map((m) => Number(m[1])), [2, 4]);
    });
  });
}
