/**
 * OGC API Features and vector tiles benchmark (PostgreSQL), each side by side with its floor:
 *   - items?bbox&limit=1000 on 1M points through `meridian api` (p50, req/s) vs the bare SQL of the page;
 *   - a z14 tile of ~600 points vs the bare ST_AsMVT query;
 *   - a z6 tile over 1M small polygons (time and size) vs a raw ST_AsMVT of everything in it.
 * Targets are in docs/DESIGN.md; timing never fails the run.
 *   usage: node --import tsx bench/features.ts [--seconds S]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMeridianApi } from './meridian-process.ts';
import autocannon from 'autocannon';
import pg from 'pg';
import { upsertVectorTable } from '@meridian/catalog';
import { ident } from '@meridian/db';
import { createPgTestDb } from '@meridian/db/testing';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' } } });
const SECONDS = Number(values.seconds);
const CONNECTIONS = 4;

/** The items bbox: ~190k of the 1M points, so numberMatched is the planner's estimate. */
const BBOX = [0, 40, 10, 50] as const;
/** A z14 tile inside the dense cluster (~600 points) and the z6 tile that holds all the polygons. */
const Z14 = tileAt(8.5, 47.4, 14);
const Z6 = tileAt(8.5, 47.0, 6);

function tileAt(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** p50 of sequential runs after a warm-up. */
async function sequentialP50(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) samples.push(await timeIt(fn));
  return median(samples);
}

/** The bare query: p50, then runs per second with `concurrency` loops for SECONDS. */
async function measure(fn: () => Promise<unknown>, concurrency: number): Promise<{ p50: number; perSecond: number }> {
  const p50 = await sequentialP50(fn);
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      await fn();
      done++;
    }
  }));
  return { p50, perSecond: done / SECONDS };
}

/** The same through HTTP: p50 of sequential fetches, throughput from autocannon. */
async function measureHttp(url: string, concurrency: number): Promise<{ p50: number; perSecond: number; bytes: number }> {
  let bytes = 0;
  const p50 = await sequentialP50(async () => {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    bytes = (await response.arrayBuffer()).byteLength;
  });
  const result = await autocannon({ url, connections: concurrency, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return { p50, perSecond: result.requests.average, bytes };
}

async function load(db: pg.Pool): Promise<void> {
  const started = performance.now();
  // Coordinates from hashes of the row number: deterministic and independent (a CTAS calling random()
  // twice per row here gave x = y).
  const unit = (expression: string) => `(abs(hashint8(${expression})) / 2147483648.0)`;
  await db.query(`
    -- 900k points spread over Europe and a cluster of 100k around Zürich, in scrambled physical order.
    CREATE TABLE geo.bench_points AS
      SELECT n::bigint AS id, 'point ' || n AS name, ${unit('n * 5')} * 1000 AS value, (n % 17)::integer AS category,
             CASE WHEN n <= 900000 THEN ST_SetSRID(ST_MakePoint(-10 + ${unit('n')} * 40, 35 + ${unit('-n')} * 25), 4326)
                  ELSE ST_SetSRID(ST_MakePoint(8.38 + ${unit('n')} * 0.24, 47.28 + ${unit('-n')} * 0.24), 4326) END AS geom
        FROM generate_series(1, 1000000) AS n ORDER BY hashint8(n * 3);
    ALTER TABLE geo.bench_points ADD PRIMARY KEY (id);
    CREATE INDEX ON geo.bench_points USING gist (geom);
    -- 1M squares of ~300 m on a 1000 × 1000 grid, all inside one z6 tile.
    CREATE TABLE geo.bench_polygons AS
      SELECT n::bigint AS id, (n % 10)::integer AS category, (n % 1000)::double precision AS rank,
             ST_Multi(ST_MakeEnvelope(5.7 + (n % 1000) * 0.0055, 45.2 + (n / 1000) * 0.0036,
                                      5.704 + (n % 1000) * 0.0055, 45.2025 + (n / 1000) * 0.0036, 4326)) AS geom
        FROM generate_series(0, 999999) AS n;
    ALTER TABLE geo.bench_polygons ADD PRIMARY KEY (id);
    CREATE INDEX ON geo.bench_polygons USING gist (geom);
    ANALYZE geo.bench_points;
    ANALYZE geo.bench_polygons;`);
  console.log(`setup: 1M points and 1M polygons loaded and indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const testDb = await createPgTestDb();
// Parallel workers take ~90 ms to start on this machine, ten times a 1000-feature page; an API serving
// small pages should not use them (production sets this in postgresql.conf). Applies to the floor too.
await testDb.db.query(`ALTER DATABASE ${ident(new URL(testDb.location).pathname.slice(1))} SET max_parallel_workers_per_gather = 0`);
const home = await mkdtemp(join(tmpdir(), 'meridian-bench-'));
const pool = new pg.Pool({ connectionString: testDb.location, max: CONNECTIONS });
let api: { child: ChildProcess; url: string } | undefined;
try {
  await load(pool);
  await upsertVectorTable(testDb.db, {
    tableName: 'bench_points', title: 'Bench points', geometryType: 'Point', bbox: [-10, 35, 30, 60], featureCount: 1_000_000, served: true,
    columns: [{ name: 'name', type: 'text' }, { name: 'value', type: 'double' }, { name: 'category', type: 'integer' }],
  });
  await upsertVectorTable(testDb.db, {
    tableName: 'bench_polygons', title: 'Bench polygons', geometryType: 'MultiPolygon', bbox: [5.7, 45.2, 11.2, 48.8], featureCount: 1_000_000, served: true,
    columns: [{ name: 'category', type: 'integer' }, { name: 'rank', type: 'double' }],
  });
  api = await startMeridianApi(testDb.location, home, { args: ['--mode', 'public'], env: { MERIDIAN_DATABASE_POOL_SIZE: String(CONNECTIONS + 2) } });
  const features = `${api.url}/api/features/collections`;
  const rows: string[][] = [['operation', 'floor', 'Meridian', 'ratio', 'target']];
  const ratio = (ours: number, floor: number) => `${(ours / floor).toFixed(2)}×`;

  // items?bbox&limit=1000
  const floorItems = await measure(() => pool.query(
    'SELECT id, name, value, category, ST_AsGeoJSON(geom) AS geometry FROM geo.bench_points WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY id LIMIT 1000',
    [...BBOX],
  ), CONNECTIONS);
  const items = await measureHttp(`${features}/bench_points/items?bbox=${BBOX.join(',')}&limit=1000`, CONNECTIONS);
  rows.push(['items bbox limit=1000 p50', `${floorItems.p50.toFixed(1)} ms`, `${items.p50.toFixed(1)} ms`, ratio(items.p50, floorItems.p50), '≤ 15 ms']);
  rows.push([`items bbox limit=1000 (${CONNECTIONS} conns)`, `${floorItems.perSecond.toFixed(0)} q/s`, `${items.perSecond.toFixed(0)} req/s`, ratio(floorItems.perSecond, items.perSecond), '≥ 250 req/s']);

  // z14 tile, ~600 points
  const z14Sql = `SELECT ST_AsMVT(q, 'bench_points', 4096, 'geom', 'id') AS tile FROM (
      SELECT id, name, value, category, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
        FROM geo.bench_points WHERE geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)) AS q`;
  const z14Floor = await measure(() => pool.query(z14Sql, [Z14.z, Z14.x, Z14.y]), 2);
  const z14 = await measureHttp(`${features}/bench_points/tiles/WebMercatorQuad/${Z14.z}/${Z14.x}/${Z14.y}.pbf`, 2);
  rows.push([`tile z14 (${z14.bytes} B) p50`, `${z14Floor.p50.toFixed(1)} ms`, `${z14.p50.toFixed(1)} ms`, ratio(z14.p50, z14Floor.p50), '']);
  rows.push(['tile z14 (2 conns)', `${z14Floor.perSecond.toFixed(0)} tiles/s`, `${z14.perSecond.toFixed(0)} req/s`, ratio(z14Floor.perSecond, z14.perSecond), '≥ 700 req/s, ≤ 1.2×']);

  // z6 tile over 1M polygons: the raw ST_AsMVT once, Meridian's tile (thinned to the size limit) a few times.
  const rawSql = `SELECT ST_AsMVT(q, 'bench_polygons', 4096, 'geom', 'id') AS tile FROM (
      SELECT id, category, rank, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
        FROM geo.bench_polygons WHERE geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)) AS q`;
  let rawBytes = 0;
  const rawMs = await timeIt(async () => {
    rawBytes = ((await pool.query<{ tile: Buffer }>(rawSql, [Z6.z, Z6.x, Z6.y])).rows[0]!.tile).length;
  });
  const z6Url = `${features}/bench_polygons/tiles/WebMercatorQuad/${Z6.z}/${Z6.x}/${Z6.y}.pbf`;
  let z6Bytes = 0;
  const z6Samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    z6Samples.push(await timeIt(async () => {
      z6Bytes = (await (await fetch(z6Url)).arrayBuffer()).byteLength;
    }));
  }
  rows.push(['tile z6, 1M polygons: time', `${rawMs.toFixed(0)} ms (raw)`, `${median(z6Samples).toFixed(0)} ms`, ratio(median(z6Samples), rawMs), '≤ 200 ms']);
  rows.push(['tile z6, 1M polygons: size', `${(rawBytes / 1024).toFixed(0)} KB (raw)`, `${(z6Bytes / 1024).toFixed(0)} KB`, ratio(z6Bytes, rawBytes), '≤ 500 KB']);

  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`features benchmark: PostgreSQL (max_parallel_workers_per_gather = 0), ${SECONDS} s per throughput run; ratio = Meridian ÷ floor for times and sizes, floor ÷ Meridian for rates (lower is better)`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
} finally {
  api?.child.kill('SIGTERM');
  await pool.end();
  await testDb.drop();
  await rm(home, { recursive: true, force: true });
}
