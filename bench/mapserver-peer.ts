/**
 * MapServer 8 as FastCGI behind lighttpd: the peer that DESIGN.md's performance table measures Meridian
 * against. Benchmarks start one over the same data they give Meridian (a PostGIS table, a COG) and run
 * both in the same run. MapServer is installed for benchmarks only (`scripts/setup.sh --for-bench`); when
 * it is missing the benchmark prints a note and measures without the peer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAPSERV = '/usr/lib/cgi-bin/mapserv';
const LIGHTTPD = '/usr/sbin/lighttpd';
/** The key of the map in MapServer's config file: `?map=PEER`, `/mapserv/peer/ogcapi/…`. */
const MAP_KEY = 'peer';

export interface MapServerPeer {
  /** `…/mapserv`: append `?map=PEER&…` for WMS and tile mode, `/peer/ogcapi/…` for OGC API Features. */
  mapserv: string;
  stop(): Promise<void>;
}

/** A point/line/polygon layer read straight from a PostGIS table in EPSG:4326, served by OGC API and MVT. */
export function postgisLayer(name: string, type: 'POINT' | 'POLYGON', databaseUrl: string, table: string, idColumn: string): string {
  const url = new URL(databaseUrl);
  const connection = `host=${url.hostname} port=${url.port || 5432} user=${decodeURIComponent(url.username)} dbname=${url.pathname.slice(1)}`;
  return `LAYER
    NAME "${name}"
    TYPE ${type}
    STATUS ON
    TEMPLATE "void"
    EXTENT -180 -90 180 90
    CONNECTIONTYPE POSTGIS
    CONNECTION "${connection}"
    DATA "geom FROM ${table} USING UNIQUE ${idColumn} USING SRID=4326"
    PROJECTION "init=epsg:4326" END
    METADATA "oga_featureid" "${idColumn}" "gml_include_items" "all" "gml_types" "auto" "ows_title" "${name}" END
    CLASS STYLE SIZE 4 COLOR 255 0 0 END END
  END`;
}

/** A raster layer over a GeoTIFF/COG file, served by WMS GetMap. */
export function rasterLayer(name: string, path: string, epsg: number): string {
  return `LAYER
    NAME "${name}"
    TYPE RASTER
    STATUS ON
    DATA "${path}"
    PROJECTION "init=epsg:${epsg}" END
  END`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`lighttpd exited with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.status < 500, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`MapServer did not answer at ${url}`);
}

/** Starts MapServer (2 FastCGI processes, one per core) serving `layers`; null when it is not installed. */
export async function startMapServerPeer(layers: string[]): Promise<MapServerPeer | null> {
  if (!existsSync(MAPSERV) || !existsSync(LIGHTTPD)) {
    console.log('MapServer peer not measured: install it with `scripts/setup.sh --for-bench` (Debian packages cgi-mapserver, lighttpd)');
    return null;
  }
  const dir = await mkdtemp(join(tmpdir(), 'meridian-mapserver-'));
  const port = await freePort();
  const mapserv = `http://127.0.0.1:${port}/mapserv`;
  await writeFile(join(dir, 'peer.map'), `MAP
  NAME "${MAP_KEY}"
  EXTENT -180 -90 180 90
  SIZE 256 256
  PROJECTION "init=epsg:4326" END
  WEB METADATA
    "ows_enable_request" "*" "oga_enable_request" "*" "ows_srs" "EPSG:4326 EPSG:3857" "ows_title" "${MAP_KEY}"
    "oga_onlineresource" "${mapserv}/${MAP_KEY}/ogcapi"
  END END
  OUTPUTFORMAT NAME "png" DRIVER AGG/PNG MIMETYPE "image/png" IMAGEMODE RGB EXTENSION "png" END
  OUTPUTFORMAT NAME "mvt" DRIVER MVT FORMATOPTION "EDGE_BUFFER=64" END
  ${layers.join('\n  ')}
END
`);
  await writeFile(join(dir, 'mapserver.conf'), `CONFIG
  MAPS ${MAP_KEY.toUpperCase()} "${join(dir, 'peer.map')}" END
END
`);
  await writeFile(join(dir, 'lighttpd.conf'), `server.modules = ("mod_fastcgi")
server.document-root = "${dir}"
server.port = ${port}
server.bind = "127.0.0.1"
server.errorlog = "${join(dir, 'error.log')}"
fastcgi.server = ("/mapserv" => ((
  "bin-path" => "${MAPSERV}",
  "socket" => "${join(dir, 'mapserv.sock')}",
  "max-procs" => 2,
  "check-local" => "disable",
  "bin-environment" => ("MAPSERVER_CONFIG_FILE" => "${join(dir, 'mapserver.conf')}")
)))
`);
  // Its own process group: lighttpd leaves its FastCGI children running when it stops (and they ignore
  // SIGTERM), so stop kills the whole group; MapServer keeps no state worth a graceful stop.
  const child = spawn(LIGHTTPD, ['-D', '-f', join(dir, 'lighttpd.conf')], { stdio: 'ignore', detached: true });
  const stop = async () => {
    process.kill(-child.pid!, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`${mapserv}/${MAP_KEY}/ogcapi?f=json`, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { mapserv, stop };
}
