/**
 * OGC API Features and vector tiles benchmark (PostgreSQL), each side by side with its floor:
 *   - items?bbox&limit=1000 on 1M points through `meridian api` (p50, req/s) vs the bare SQL of the page;
 *   - a z14 tile of ~600 points vs the bare ST_AsMVT query, rendered on every request (tile cache off) and
 *     kept in memory by a second server with the default tile cache (what repeat requests cost);
 *   - a z6 tile over 1M small polygons (time and size) vs a raw ST_AsMVT of everything in it;
 *   - items and the z14 tile from MapServer (OGC API Features, MVT) over the same table, when installed.
 * Besides wall-clock figures (noisy on a shared machine) it prints the CPU time per request: the server
 * process plus its PostgreSQL backends for Meridian, the bench process plus its backends for the floor.
 * Targets are in docs/DESIGN.md; timing never fails the run.
 *   usage: node --import tsx bench/features.ts [--seconds S] [--rounds N] [--database URL]
 *   --database reuses a database (the tables are loaded once and kept) instead of a fresh one.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMapServerPeer, postgisLayer, type MapServerPeer } from './mapserver-peer.ts';
import { startMeridianApi } from './meridian-process.ts';
import { sampleCpuMs, spent } from './process-cpu.ts';
import autocannon from 'autocannon';
import pg from 'pg';
import { upsertVectorTable } from '@meridian/catalog';
import { PgDb, ident, type Db } from '@meridian/db';
import { createPgTestDb } from '@meridian/db/testing';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '12' }, rounds: { type: 'string', default: '4' }, database: { type: 'string' } } });
/** Throughput seconds per side, split into ROUNDS alternating rounds. */
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = 4;
/** Marks the floor's own connections, so CPU is charged to the right side. */
const FLOOR_APPLICATION = 'bench-floor';

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

/** GETs `url`, failing on anything but 200; the body's size. */
async function fetchOk(url: string): Promise<number> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.arrayBuffer()).byteLength;
}

/** The peer (MapServer) answering the same request: p50 of sequential GETs, req/s with `concurrency` clients. */
async function peerHttp(url: string, concurrency: number): Promise<{ p50: number; perSecond: number; bytes: number }> {
  let bytes = 0;
  const p50 = await sequentialP50(async () => {
    bytes = await fetchOk(url);
  });
  const result = await autocannon({ url, connections: concurrency, duration: SECONDS / 2 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return { p50, perSecond: result.requests.average, bytes };
}

interface Measured {
  p50: number;
  perSecond: number;
  /** CPU (client or server process + its PostgreSQL backends) per query or request, in ms. */
  cpuMs: number;
  /** The PostgreSQL backends' part of cpuMs. */
  databaseCpuMs: number;
}

/** The PostgreSQL backends serving the floor (`floor`) or Meridian (the other clients; not autovacuum). */
async function backendPids(db: Db, floor: boolean): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND (application_name = $1) = $2`,
    [FLOOR_APPLICATION, floor],
  );
  return rows.map((r) => r.pid);
}

/** CPU that `run` costs the processes `pids` lists (sampled before and after, so new backends count). */
async function cpuOf(pids: () => Promise<number[]>, run: () => Promise<void>): Promise<number> {
  const before = await sampleCpuMs(await pids());
  await run();
  return spent(before, await sampleCpuMs(await pids()));
}

/** Runs `fn` in `concurrency` loops for `seconds`; how many runs and the CPU of `pids` they took. */
interface Round {
  count: number;
  cpuMs: number;
  databaseCpuMs: number;
}

async function floorRound(db: Db, fn: () => Promise<unknown>, concurrency: number, seconds: number): Promise<Round> {
  let count = 0;
  const own = process.cpuUsage();
  const backends = await cpuOf(() => backendPids(db, true), async () => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await fn();
        count++;
      }
    }));
  });
  const client = process.cpuUsage(own);
  return { count, cpuMs: backends + (client.user + client.system) / 1000, databaseCpuMs: backends };
}

async function httpRound(db: Db, server: ChildProcess, url: string, concurrency: number, seconds: number): Promise<Round> {
  let result: Awaited<ReturnType<typeof autocannon>> | undefined;
  let backends = 0;
  const serverCpu = await cpuOf(async () => [server.pid!], async () => {
    backends = await cpuOf(() => backendPids(db, false), async () => {
      result = await autocannon({ url, connections: concurrency, duration: seconds });
    });
  });
  if (result!.non2xx > 0 || result!.errors > 0) throw new Error(`${url}: ${result!.non2xx} non-2xx responses, ${result!.errors} errors`);
  return { count: result!.requests.total, cpuMs: serverCpu + backends, databaseCpuMs: backends };
}

/**
 * The bare query and the same through Meridian's HTTP API: p50 of sequential runs each, then throughput
 * and CPU per run with `concurrency` clients, alternating ROUNDS short rounds of each side so that a
 * change in the machine's load touches both alike.
 */
async function compare(db: Db, server: ChildProcess, floorFn: () => Promise<unknown>, url: string, concurrency: number): Promise<{ floor: Measured; ours: Measured & { bytes: number } }> {
  const floorP50 = await sequentialP50(floorFn);
  let bytes = 0;
  const oursP50 = await sequentialP50(async () => {
    bytes = await fetchOk(url);
  });
  const totals = { floor: { count: 0, cpuMs: 0, databaseCpuMs: 0 }, ours: { count: 0, cpuMs: 0, databaseCpuMs: 0 } };
  const seconds = SECONDS / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [side, result] of [['floor', await floorRound(db, floorFn, concurrency, seconds)], ['ours', await httpRound(db, server, url, concurrency, seconds)]] as const) {
      totals[side].count += result.count;
      totals[side].cpuMs += result.cpuMs;
      totals[side].databaseCpuMs += result.databaseCpuMs;
    }
  }
  const measured = (p50: number, side: 'floor' | 'ours') => {
    const { count, cpuMs, databaseCpuMs } = totals[side];
    return { p50, perSecond: count / SECONDS, cpuMs: cpuMs / count, databaseCpuMs: databaseCpuMs / count };
  };
  return { floor: measured(floorP50, 'floor'), ours: { ...measured(oursP50, 'ours'), bytes } };
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
    CREATE INDEX ON geo.bench_polygons USING gist (geom);`);
  // Vacuumed now, so autovacuum does not start on the fresh tables in the middle of a measurement.
  await db.query('VACUUM ANALYZE geo.bench_points');
  await db.query('VACUUM ANALYZE geo.bench_polygons');
  console.log(`setup: 1M points and 1M polygons loaded and indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A fresh database, or the one --database names (kept, with its tables, for the next run). */
async function benchDatabase(): Promise<{ db: Db; location: string; drop(): Promise<void> }> {
  if (values.database === undefined) return createPgTestDb();
  return { db: await PgDb.open(values.database, 2), location: values.database, drop: async () => {} };
}

const testDb = await benchDatabase();
const databaseName = ident(new URL(testDb.location).pathname.slice(1));
// Parallel workers take ~90 ms to start on this machine, ten times a 1000-feature page: an API serving
// small pages should not use them (production sets this in postgresql.conf). Meridian's own sessions run
// without JIT (pg-adapter.ts); the floor gets the same settings, so the ratios measure Meridian's work.
await testDb.db.query(`ALTER DATABASE ${databaseName} SET max_parallel_workers_per_gather = 0`);
await testDb.db.query(`ALTER DATABASE ${databaseName} SET jit = off`);
const home = await mkdtemp(join(tmpdir(), 'meridian-bench-'));
const pool = new pg.Pool({ connectionString: testDb.location, max: CONNECTIONS, application_name: FLOOR_APPLICATION });
let api: { child: ChildProcess; url: string } | undefined;
let cachedApi: { child: ChildProcess; url: string } | undefined;
let peer: MapServerPeer | null = null;
try {
  const loaded = await testDb.db.query<{ ok: boolean }>("SELECT to_regclass('geo.bench_polygons') IS NOT NULL AS ok");
  if (!loaded.rows[0]!.ok) await load(pool);
  await upsertVectorTable(testDb.db, {
    tableName: 'bench_points', title: 'Bench points', geometryType: 'Point', bbox: [-10, 35, 30, 60], featureCount: 1_000_000, served: true,
    columns: [{ name: 'name', type: 'text' }, { name: 'value', type: 'double' }, { name: 'category', type: 'integer' }],
  });
  await upsertVectorTable(testDb.db, {
    tableName: 'bench_polygons', title: 'Bench polygons', geometryType: 'MultiPolygon', bbox: [5.7, 45.2, 11.2, 48.8], featureCount: 1_000_000, served: true,
    columns: [{ name: 'category', type: 'integer' }, { name: 'rank', type: 'double' }],
  });
  // Every tile rendered, as the floor renders it: the tile cache is off here (measured on its own below).
  api = await startMeridianApi(testDb.location, home, { args: ['--mode', 'public'], env: { MERIDIAN_DATABASE_POOL_SIZE: String(CONNECTIONS + 2), MERIDIAN_VECTOR_TILE_CACHE_MB: '0' } });
  peer = await startMapServerPeer([postgisLayer('bench_points', 'POINT', testDb.location, 'geo.bench_points', 'id')]);
  const features = `${api.url}/api/features/collections`;
  const rows: string[][] = [['operation', 'floor', 'Meridian', 'ratio', 'target']];
  const ratio = (ours: number, floor: number) => `${(ours / floor).toFixed(2)}×`;
  const cpuRow = (name: string, floor: Measured, ours: Measured) => [
    `${name} CPU/request (database)`, `${floor.cpuMs.toFixed(2)} (${floor.databaseCpuMs.toFixed(2)}) ms`,
    `${ours.cpuMs.toFixed(2)} (${ours.databaseCpuMs.toFixed(2)}) ms`, ratio(ours.cpuMs, floor.cpuMs), '',
  ];

  // items?bbox&limit=1000
  const { floor: floorItems, ours: items } = await compare(testDb.db, api.child, () => pool.query(
    'SELECT id, name, value, category, ST_AsGeoJSON(geom) AS geometry FROM geo.bench_points WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY id LIMIT 1000',
    [...BBOX],
  ), `${features}/bench_points/items?bbox=${BBOX.join(',')}&limit=1000`, CONNECTIONS);
  rows.push(['items bbox limit=1000 p50', `${floorItems.p50.toFixed(1)} ms`, `${items.p50.toFixed(1)} ms`, ratio(items.p50, floorItems.p50), '≤ 15 ms']);
  rows.push([`items bbox limit=1000 (${CONNECTIONS} conns)`, `${floorItems.perSecond.toFixed(0)} q/s`, `${items.perSecond.toFixed(0)} req/s`, ratio(floorItems.perSecond, items.perSecond), '≥ 250 req/s']);
  rows.push(cpuRow('items bbox limit=1000', floorItems, items));
  const peerRow = (name: string, ours: Measured, peerResult: { p50: number; perSecond: number }, concurrency: number) => [
    `${name} vs MapServer (${concurrency} conns)`, `${peerResult.p50.toFixed(1)} ms, ${peerResult.perSecond.toFixed(0)} req/s`,
    `${ours.p50.toFixed(1)} ms, ${ours.perSecond.toFixed(0)} req/s`, ratio(ours.p50, peerResult.p50), 'faster than MapServer',
  ];
  if (peer) {
    const peerItems = await peerHttp(`${peer.mapserv}/peer/ogcapi/collections/bench_points/items?f=json&bbox=${BBOX.join(',')}&limit=1000`, CONNECTIONS);
    rows.push(peerRow('items bbox limit=1000', items, peerItems, CONNECTIONS));
  }

  // z14 tile, ~600 points
  const z14Sql = `SELECT ST_AsMVT(q, 'bench_points', 4096, 'geom', 'id') AS tile FROM (
      SELECT id, name, value, category, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
        FROM geo.bench_points WHERE geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)) AS q`;
  const { floor: z14Floor, ours: z14 } = await compare(testDb.db, api.child, () => pool.query(z14Sql, [Z14.z, Z14.x, Z14.y]), `${features}/bench_points/tiles/WebMercatorQuad/${Z14.z}/${Z14.x}/${Z14.y}.pbf`, 2);
  rows.push([`tile z14 (${z14.bytes} B) p50`, `${z14Floor.p50.toFixed(1)} ms`, `${z14.p50.toFixed(1)} ms`, ratio(z14.p50, z14Floor.p50), '']);
  rows.push(['tile z14 (2 conns)', `${z14Floor.perSecond.toFixed(0)} tiles/s`, `${z14.perSecond.toFixed(0)} req/s`, ratio(z14Floor.perSecond, z14.perSecond), '≥ 700 req/s, ≤ 1.2×']);
  rows.push(cpuRow('tile z14', z14Floor, z14));
  // The same tile from a server that keeps rendered tiles (the default): what a repeat request costs.
  cachedApi = await startMeridianApi(testDb.location, home, { args: ['--mode', 'public'], env: { MERIDIAN_DATABASE_POOL_SIZE: String(CONNECTIONS + 2) } });
  const z14Path = `/api/features/collections/bench_points/tiles/WebMercatorQuad/${Z14.z}/${Z14.x}/${Z14.y}.pbf`;
  const { floor: keptFloor, ours: kept } = await compare(testDb.db, cachedApi.child, () => pool.query(z14Sql, [Z14.z, Z14.x, Z14.y]), `${cachedApi.url}${z14Path}`, 2);
  rows.push(['tile z14 kept in memory (2 conns)', `${keptFloor.perSecond.toFixed(0)} tiles/s`, `${kept.perSecond.toFixed(0)} req/s`, ratio(keptFloor.perSecond, kept.perSecond), '≥ 700 req/s, ≤ 1.2×']);
  rows.push(cpuRow('tile z14 kept in memory', keptFloor, kept));
  if (peer) {
    const peerTile = await peerHttp(`${peer.mapserv}?map=PEER&mode=tile&tilemode=gmap&tile=${Z14.x}+${Z14.y}+${Z14.z}&layers=bench_points&map.imagetype=mvt`, 2);
    rows.push(peerRow(`tile z14 (MapServer ${peerTile.bytes} B)`, z14, peerTile, 2));
  }

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
  console.log(`features benchmark: PostgreSQL (max_parallel_workers_per_gather = 0, jit = off), ${SECONDS} s per side in ${ROUNDS} alternating rounds; ratio = Meridian ÷ floor for times, sizes and CPU, floor ÷ Meridian for rates (lower is better); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
} finally {
  await peer?.stop();
  api?.child.kill('SIGTERM');
  cachedApi?.child.kill('SIGTERM');
  await pool.end();
  await testDb.drop();
  await rm(home, { recursive: true, force: true });
}
