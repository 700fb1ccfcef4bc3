/**
 * Loaded through process_vector, read back by an independent client: GDAL's OGC API Features driver
 * (OAPIF) against a live server pages through every feature of each loaded table, and what it reads is
 * what GDAL reads from the source file itself — attributes and coordinates.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { writeVectorFixtures, type VectorFixtures } from '../../../fixtures/vector-fixtures.ts';
import { createTestApp, type TestApp } from '../../../apps/server/test/support.ts';
import { CONTAINER, startVectorEngine, uploadFile, type VectorEngine } from './vector-harness.ts';

const run = promisify(execFile);

interface GeoJsonFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}

async function features(source: string, layer?: string): Promise<GeoJsonFeature[]> {
  const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, ...(layer ? [layer] : [])], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return (JSON.parse(stdout) as { features: GeoJsonFeature[] }).features;
}

/** A GeoJSON geometry made comparable: coordinates rounded to 1e-9 degrees. */
function rounded(geometry: GeoJsonFeature['geometry']): unknown {
  const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : Math.round((v as number) * 1e9) / 1e9);
  return geometry ? { type: geometry.type, coordinates: round(geometry.coordinates) } : null;
}

describe("GDAL's OAPIF client reads back every feature process_vector loaded", () => {
  let t: TestApp;
  let engine: VectorEngine;
  let fixtures: VectorFixtures;
  let source: string;

  before(async () => {
    t = await createTestApp({ kind: 'postgres' });
    fixtures = await writeVectorFixtures(join(t.home, 'fixtures'));
    engine = await startVectorEngine(t.runtime);
    for (const [fixture, table, split] of [['places_geojson', 'places', 'category'], ['many_points_geojsonl', 'grid', undefined]] as const) {
      const key = await uploadFile(t.runtime.store, fixtures[fixture]!);
      const job = await engine.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: table, access_level: 'public', ...(split ? { split_column: split } : {}) });
      assert.equal(job.status, 'completed', JSON.stringify(job.error));
    }
    source = `OAPIF:${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/features`;
  });
  after(async () => {
    await engine?.stop();
    await t?.close();
  });

  it('lists the loaded tables and split views as collections with their feature counts', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-al', '-so', source]);
    const counts = Object.fromEntries([...stdout.matchAll(/^Layer name: (\S+)\n(?:.*\n)*?Feature Count: (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
    assert.deepEqual(counts, { grid: 2500, places: 9, places_city: 4, places_none: 1, places_port: 3, places_town: 1 });
  });

  it('reads the same attributes and coordinates as GDAL reads from the source file', async () => {
    const expected = (await features(fixtures.places_geojson!)).filter((f) => f.geometry && (f.geometry.coordinates as unknown[]).length > 0);
    const served = await features(source, 'places');
    assert.equal(served.length, expected.length);
    for (const [i, want] of expected.entries()) {
      const got = served[i]!;
      assert.deepEqual(rounded(got.geometry), rounded(want.geometry), `feature ${i}`);
      for (const [name, value] of Object.entries(want.properties)) {
        const actual = got.properties[name];
        if (name === 'updated' && value !== null) assert.equal(Date.parse(String(actual)), Date.parse(String(value)), `${i}.${name}`);
        else assert.deepEqual(actual, value, `feature ${i}, ${name}`);
      }
    }
  });

  it('pages through all 2,500 features of a larger table', async () => {
    const expected = await features(fixtures.many_points_geojsonl!);
    const served = await features(source, 'grid');
    assert.equal(served.length, 2500);
    assert.deepEqual(served.map((f) => f.properties.n), expected.map((f) => f.properties.n));
    assert.deepEqual(served.map((f) => rounded(f.geometry)), expected.map((f) => rounded(f.geometry)));
  });
});
