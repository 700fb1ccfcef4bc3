/**
 * STAC benchmark (PostgreSQL), through a real `meridian api` process:
 *   - bulk ingest: 100k synthetic items POSTed to a collection's items, 1,000 per request (items/s);
 *   - search, limit 100: bbox + datetime + a property filter (GET /search), and a CQL2 s_intersects
 *     polygon (POST /search), p50/p95 over varying windows, each beside the plain SQL of the same page.
 * Targets (docs/DESIGN.md): ingest ≥ 5k items/s, search p95 ≤ 25 ms. Timing never fails the run.
 * Bulk requests are sent `--parallel` at a time (default 1: one request after another).
 *   usage: node --import tsx bench/stac.ts [--items N] [--batch B] [--parallel P] [--runs R]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMeridianApi } from './meridian-process.ts';
import pg from 'pg';
import { createPgTestDb } from '@meridian/db/testing';

const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' }, batch: { type: 'string', default: '1000' }, parallel: { type: 'string', default: '1' }, runs: { type: 'string', default: '300' } } });
const ITEMS = Number(values.items);
const BATCH = Number(values.batch);
const RUNS = Number(values.runs);
const PARALLEL = Number(values.parallel);
const EO = 'https://stac-extensions.github.io/eo/v1.1.0/schema.json';
const DAY = 86_400_000;
const START = Date.UTC(2022, 0, 1);

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Item n: a 0.2° scene somewhere in lon −180..180, lat −60..60, over two years, with a cloud cover. */
function item(n: number, next: () => number) {
  const [x, y] = [-180 + next() * 359.8, -60 + next() * 119.8];
  const datetime = new Date(START + Math.floor(next() * 730 * DAY)).toISOString();
  return {
    type: 'Feature',
    stac_version: '1.1.0',
    stac_extensions: [EO],
    id: `scene-${n}`,
    geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.2, y], [x + 0.2, y + 0.2], [x, y + 0.2], [x, y]]] },
    bbox: [x, y, x + 0.2, y + 0.2],
    properties: { datetime, 'eo:cloud_cover': Math.round(next() * 1000) / 10, platform: `sat-${n % 4}`, gsd: 10 },
    links: [],
    assets: { data: { href: `https://data.example/scenes/${n}.tif`, type: 'image/tiff; application=geotiff; profile=cloud-optimized', roles: ['data'] } },
  };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function post(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** The i-th query window: a 10° × 10° box (or a triangle in it) and a 90-day interval, spread over the data. */
function window(i: number): { bbox: number[]; polygon: number[][][]; from: string; to: string } {
  const next = random(1000 + i);
  const [x, y] = [-170 + next() * 330, -55 + next() * 100];
  const from = START + Math.floor(next() * 600) * DAY;
  return {
    bbox: [x, y, x + 10, y + 10],
    polygon: [[[x, y], [x + 10, y], [x + 5, y + 10], [x, y]]],
    from: new Date(from).toISOString(),
    to: new Date(from + 90 * DAY).toISOString(),
  };
}

async function timed(runs: number, fn: (i: number) => Promise<number>): Promise<{ p50: number; p95: number; returned: number }> {
  for (let i = 0; i < 20; i++) await fn(i);
  const samples: number[] = [];
  let returned = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    returned += await fn(i);
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), returned: returned / runs };
}

const testDb = await createPgTestDb();
const home = await mkdtemp(join(tmpdir(), 'meridian-bench-stac-'));
const pool = new pg.Pool({ connectionString: testDb.location, max: 2 });
const { child, url } = await startMeridianApi(testDb.location, home, { env: { MERIDIAN_DATABASE_POOL_SIZE: '6' } });
try {
  const stac = `${url}/api/stac`;
  await post(`${stac}/collections`, {
    type: 'Collection', stac_version: '1.1.0', id: 'bench', description: 'Synthetic scenes', license: 'CC0-1.0',
    extent: { spatial: { bbox: [[-180, -60, 180, 60]] }, temporal: { interval: [['2022-01-01T00:00:00Z', null]] } },
    summaries: { 'eo:cloud_cover': { minimum: 0, maximum: 100 }, platform: ['sat-0', 'sat-1', 'sat-2', 'sat-3'] },
    links: [],
  });

  // Bulk ingest: bodies are built before the clock starts, so only the server's work is timed.
  const next = random(42);
  const bodies: string[] = [];
  for (let first = 0; first < ITEMS; first += BATCH) {
    bodies.push(JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: Math.min(BATCH, ITEMS - first) }, (_, k) => item(first + k, next)) }));
  }
  const ingestStarted = performance.now();
  let nextBody = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let body = bodies[nextBody++]; body !== undefined; body = bodies[nextBody++]) {
      const response = await fetch(`${stac}/collections/bench/items`, { method: 'POST', headers: { 'content-type': 'application/geo+json' }, body });
      if (response.status !== 201) throw new Error(`bulk insert: HTTP ${response.status} ${await response.text()}`);
    }
  }));
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  await pool.query('VACUUM ANALYZE catalog.items');

  const cloud = 20;
  const apiBbox = await timed(RUNS, async (i) => {
    const w = window(i);
    const query = new URLSearchParams({ collections: 'bench', bbox: w.bbox.join(','), datetime: `${w.from}/${w.to}`, filter: `"eo:cloud_cover" < ${cloud}`, limit: '100' });
    const response = await fetch(`${stac}/search?${query}`);
    if (response.status !== 200) throw new Error(`search: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { features: unknown[] }).features.length;
  });
  const sqlBbox = await timed(RUNS, async (i) => {
    const w = window(i);
    const { rows } = await pool.query(
      `SELECT content FROM catalog.items
        WHERE collection = 'bench' AND ST_Intersects(geometry, ST_MakeEnvelope($1, $2, $3, $4, 4326))
          AND end_datetime >= $5 AND start_datetime <= $6 AND (content->'properties'->>'eo:cloud_cover')::float8 < $7
        ORDER BY datetime DESC, collection DESC, id DESC LIMIT 100`,
      [...w.bbox, w.from, w.to, cloud],
    );
    return rows.length;
  });
  const apiPolygon = await timed(RUNS, async (i) => {
    const w = window(i);
    const response = await post(`${stac}/search`, {
      collections: ['bench'], limit: 100, 'filter-lang': 'cql2-json',
      filter: { op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: w.polygon }] },
    });
    return ((await response.json()) as { features: unknown[] }).features.length;
  });
  const sqlPolygon = await timed(RUNS, async (i) => {
    const w = window(i);
    const { rows } = await pool.query(
      `SELECT content FROM catalog.items
        WHERE collection = 'bench' AND ST_Intersects(geometry, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))
        ORDER BY datetime DESC, collection DESC, id DESC LIMIT 100`,
      [JSON.stringify({ type: 'Polygon', coordinates: w.polygon })],
    );
    return rows.length;
  });

  const rate = ITEMS / ingestSeconds;
  const row = (name: string, api: { p50: number; p95: number; returned: number }, sql: { p50: number; p95: number }) =>
    `${name.padEnd(34)} ${api.p50.toFixed(1).padStart(7)} ${api.p95.toFixed(1).padStart(7)} ${sql.p50.toFixed(1).padStart(8)} ${sql.p95.toFixed(1).padStart(8)} ${(api.p95 / sql.p95).toFixed(2).padStart(6)} ${api.returned.toFixed(0).padStart(6)}  ${api.p95 <= 25 ? 'ok' : 'over'}`;
  process.stdout.write([
    `STAC benchmark: ${ITEMS} items, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    `bulk ingest: ${ITEMS} items, ${BATCH} per request, ${PARALLEL} request(s) at a time: ${ingestSeconds.toFixed(1)} s = ${rate.toFixed(0)} items/s (target ≥ 5000: ${rate >= 5000 ? 'ok' : 'under'})`,
    '',
    `${'search (limit 100), ms'.padEnd(34)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'SQL p50'.padStart(8)} ${'SQL p95'.padStart(8)} ${'ratio'.padStart(6)} ${'items'.padStart(6)}  p95 ≤ 25`,
    row('bbox + datetime + cloud filter', apiBbox, sqlBbox),
    row('CQL2 s_intersects polygon', apiPolygon, sqlPolygon),
    '',
  ].join('\n'));
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  await pool.end();
  await testDb.drop();
  await rm(home, { recursive: true, force: true });
}
