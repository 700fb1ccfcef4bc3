/**
 * Raster tile benchmark: PNG/JPEG/WEBP tiles from a DEFLATE and a JPEG COG (4096², RGB, made by GDAL).
 *   - in process, one core: tiles/s with a cold cache (a fresh CogReader per tile: header, ranged
 *     reads, decode, warp, encode) and a warm one (headers and decoded blocks cached), at three zooms;
 *   - through the real HTTP server (`meridian api --mode public`, STAC item → COG → BlobStore): p50/p95
 *     latency with as many concurrent fetch loops as the machine has cores (a latency figure: more
 *     requests in flight than cores only queue, p50 ≈ connections / rate), and tiles/s (with its p50)
 *     under 4 concurrent fetch loops over up to 16 tiles, plus autocannon's p50 on one URL at 4;
 *   - the same PNG/JPEG tiles from MapServer (WMS GetMap over the same files, FastCGI), when installed.
 * Targets (docs/DESIGN.md): ≥ 100 tiles/s on this machine and p50 ≤ 12 ms for PNG. Timing never fails the run.
 *   usage: node --import tsx bench/raster-tiles.ts [--seconds S] [--size PIXELS]
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rasterLayer, startMapServerPeer, type MapServerPeer } from './mapserver-peer.ts';
import { startMeridianApi } from './meridian-process.ts';
import autocannon from 'autocannon';
import { loadConfig } from '@meridian/config';
import { createPgTestDb } from '@meridian/db/testing';
import { createCollection, insertItems, storageHref } from '@meridian/stac';
import { openBlobStore, type BlobRef, type BlobStore } from '@meridian/storage';
import {
  CogReader, CogSource, encodeData, readData, tileGrid, tileMatrixSet, type OutputFormat,
} from '@meridian/tiles';
import { createCogFixtures } from '../packages/tiles/test/cog-fixtures.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '6' }, size: { type: 'string', default: '4096' } } });
const SECONDS = Number(values.seconds);
const SIZE = Number(values.size);
/** Connections of the throughput runs; the latency runs use one per core. */
const CONNECTIONS = 4;
const LATENCY_CONNECTIONS = availableParallelism();
const TMS = tileMatrixSet('WebMercatorQuad');
const COLLECTION = 'bench-rasters';
/** The RGB fixture covers lon 36.7 .. 36.7 + SIZE·1e-4, lat -1.2 .. -1.2 − SIZE·1e-4 (~11 m pixels: native ≈ z14). */
const CENTRE = [36.7 + (SIZE * 1e-4) / 2, -1.2 - (SIZE * 1e-4) / 2] as const;
const ZOOMS = [12, 13, 14];

function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

/** Up to `count` tiles inside the raster (not touching its edges when possible), nearest the centre first. */
function tilesAround(z: number, count: number): Array<{ z: number; x: number; y: number }> {
  const span = SIZE * 1e-4;
  const min = tileOf(36.7, -1.2, z);
  const max = tileOf(36.7 + span, -1.2 - span, z);
  const centre = tileOf(CENTRE[0], CENTRE[1], z);
  const tiles = [];
  for (let x = min.x; x <= max.x; x++) for (let y = min.y; y <= max.y; y++) tiles.push({ z, x, y });
  tiles.sort((a, b) => Math.hypot(a.x - centre.x, a.y - centre.y) - Math.hypot(b.x - centre.x, b.y - centre.y));
  return tiles.slice(0, count);
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Renders `tiles` in process, one at a time; a fresh reader per tile when cold. Returns tiles per second
 * of CPU time (the process's, libvips threads included) — "per core", unaffected by other load.
 */
async function inProcess(store: BlobStore, ref: BlobRef, tiles: Array<{ z: number; x: number; y: number }>, format: OutputFormat, cold: boolean): Promise<number> {
  let reader = new CogReader(store);
  const render = async (tile: { z: number; x: number; y: number }) => {
    if (cold) reader = new CogReader(store);
    const source = new CogSource(await reader.open(ref));
    const info = await source.info();
    const grid = tileGrid(TMS, tile, info.bounds);
    const data = await readData(source, grid, { returnMask: true });
    await encodeData(data, grid, format, { returnMask: true }, info);
  };
  for (const tile of tiles) await render(tile);
  let done = 0;
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  while (performance.now() - started < SECONDS * 1000) await render(tiles[done++ % tiles.length]!);
  return done / (cpuSeconds() - cpuStarted);
}

/** `connections` fetch loops over `urls` for SECONDS: the latencies and the mean response size. */
async function fetchLoops(urls: string[], connections: number): Promise<{ latencies: number[]; bytes: number }> {
  const latencies: number[] = [];
  let next = 0, bytes = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < until) {
      const started = performance.now();
      bytes += (await (await fetch(urls[next++ % urls.length]!)).arrayBuffer()).byteLength;
      latencies.push(performance.now() - started);
    }
  }));
  return { latencies, bytes: bytes / latencies.length };
}

interface HttpFigures {
  p50: number;
  p95: number;
  perSecond: number;
  loadedP50: number;
  autocannonP50: number;
  bytes: number;
}

/** HTTP: p50/p95 at LATENCY_CONNECTIONS, tiles/s and p50 at CONNECTIONS over many tiles, autocannon's p50 on one URL. */
async function overHttp(urls: string[]): Promise<HttpFigures> {
  for (const url of urls) {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }
  const latency = await fetchLoops(urls, LATENCY_CONNECTIONS);
  const loaded = await fetchLoops(urls, CONNECTIONS);
  const result = await autocannon({ url: urls[0]!, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${urls[0]}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return {
    p50: percentile(latency.latencies, 50), p95: percentile(latency.latencies, 95),
    perSecond: loaded.latencies.length / SECONDS, loadedP50: percentile(loaded.latencies, 50),
    autocannonP50: result.latency.p50, bytes: latency.bytes,
  };
}

/** A MapServer WMS GetMap of the same 256-px Web Mercator tile (what MapServer users serve tiles with). */
function peerTileUrl(peer: MapServerPeer, layer: string, tile: { z: number; x: number; y: number }, format: 'png' | 'jpeg'): string {
  const half = 20037508.342789244;
  const size = (2 * half) / 2 ** tile.z;
  const [minx, maxy] = [-half + tile.x * size, half - tile.y * size];
  return `${peer.mapserv}?map=PEER&SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=${layer}&STYLES=&CRS=EPSG:3857`
    + `&BBOX=${minx},${maxy - size},${minx + size},${maxy}&WIDTH=256&HEIGHT=256&FORMAT=image/${format}`;
}

const setupStarted = performance.now();
const fixtures = await createCogFixtures({ width: SIZE, height: SIZE });
const testDb = await createPgTestDb();
const home = await mkdtemp(join(tmpdir(), 'meridian-bench-raster-'));
const config = loadConfig({ MERIDIAN_HOME: home }, process.cwd());
const store = openBlobStore(config.storage);
let api: { child: ChildProcess; url: string } | undefined;
let peer: MapServerPeer | null = null;
try {
  const cogs = { deflate: { container: 'silver-bench', key: 'rgb-deflate.tif' }, jpeg: { container: 'silver-bench', key: 'rgb-jpeg.tif' } };
  await store.put(cogs.deflate, createReadStream(fixtures.rgbDeflate.path));
  await store.put(cogs.jpeg, createReadStream(fixtures.rgbJpeg.path));
  const classification = { accessLevel: 'public' as const, served: true };
  await createCollection(testDb.db, {
    type: 'Collection', stac_version: '1.1.0', id: COLLECTION, description: 'Benchmark rasters', license: 'CC-BY-4.0', links: [],
    extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [['2024-01-01T00:00:00Z', null]] } },
  }, classification);
  const items = [];
  for (const [name, ref] of Object.entries(cogs)) {
    const info = await new CogSource(await new CogReader(store).open(ref)).info();
    const [w, s, e, n] = info.bounds;
    items.push({
      type: 'Feature', stac_version: '1.1.0', id: name, bbox: info.bounds, links: [], properties: { datetime: '2024-01-01T00:00:00Z' },
      geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
      assets: { data: { href: storageHref(config.publicUrl, ref.container, ref.key), type: 'image/tiff; application=geotiff; profile=cloud-optimized', roles: ['data'] } },
    });
  }
  await insertItems(testDb.db, COLLECTION, items, classification);
  console.log(`setup: two ${SIZE}² RGB COGs (DEFLATE, JPEG) and their STAC items in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  const loadBefore = loadavg();
  const rows: string[][] = [[
    'COG', 'zoom', 'format', 'cold tiles/cpu-s', 'warm tiles/cpu-s', 'warm cpu-ms/tile', 'KiB/tile',
    `p50 @${LATENCY_CONNECTIONS}`, `p95 @${LATENCY_CONNECTIONS}`, `tiles/s @${CONNECTIONS}`, `p50 @${CONNECTIONS}`, `autocannon p50 @${CONNECTIONS}`,
  ]];
  api = await startMeridianApi(testDb.location, home, { args: ['--mode', 'public'] });
  peer = await startMapServerPeer([rasterLayer('deflate', fixtures.rgbDeflate.path, 4326), rasterLayer('jpeg', fixtures.rgbJpeg.path, 4326)]);
  const httpCells = (http: HttpFigures) => [
    (http.bytes / 1024).toFixed(0), `${http.p50.toFixed(1)} ms`, `${http.p95.toFixed(1)} ms`, http.perSecond.toFixed(0), `${http.loadedP50.toFixed(1)} ms`, `${http.autocannonP50} ms`,
  ];
  for (const [name, ref] of Object.entries(cogs)) {
    for (const z of ZOOMS) {
      const tiles = tilesAround(z, 16);
      for (const format of ['png', 'jpeg', 'webp'] as const) {
        if (format === 'webp' && z !== 14) continue;
        const cold = await inProcess(store, ref, tiles.slice(0, 4), format, true);
        const warm = await inProcess(store, ref, tiles, format, false);
        const urls = tiles.map((t) => `${api!.url}/api/raster/collections/${COLLECTION}/items/${name}/tiles/WebMercatorQuad/${t.z}/${t.x}/${t.y}.${format}`);
        rows.push([name, String(z), format, cold.toFixed(0), warm.toFixed(0), (1000 / warm).toFixed(2), ...httpCells(await overHttp(urls))]);
        if (peer && format !== 'webp') {
          const peerUrls = tiles.map((t) => peerTileUrl(peer!, name, t, format));
          rows.push([`${name} MapServer`, String(z), format, '', '', '', ...httpCells(await overHttp(peerUrls))]);
        }
      }
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const load = (values: number[]) => values.map((l) => l.toFixed(1)).join(' ');
  console.log(`raster tiles benchmark: 256-px WebMercatorQuad tiles; in process = tiles per CPU-second (libuv threads included); HTTP = one server process, fetch loops over up to 16 tiles: p50/p95 at ${LATENCY_CONNECTIONS} connections (the cores), tiles/s and p50 at ${CONNECTIONS}; ${SECONDS} s per run; load average ${load(loadBefore)} before, ${load(loadavg())} after`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
} finally {
  await peer?.stop();
  if (api) {
    const exited = once(api.child, 'exit');
    api.child.kill('SIGTERM');
    await exited;
  }
  await testDb.drop();
  await fixtures.cleanup();
  await rm(home, { recursive: true, force: true });
}
