import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PgDb } from '@meridian/db';

const db = await PgDb.open('postgres://postgres@127.0.0.1:5432/vbench', 4);
await db.execScript(`DROP TABLE IF EXISTS proto; CREATE TABLE proto (ogc_fid bigint, geom geometry(Geometry,4326), id integer, name text, value double precision, lon double precision, lat double precision, etl_batch_id integer)`);
const t0 = performance.now();
const child = spawn('ogr2ogr', ['-f', 'PGDUMP', '/vsistdout/', '/tmp/vb/pts.fgb', '-t_srs', 'EPSG:4326', '-lco', 'CREATE_TABLE=OFF', '-lco', 'DROP_TABLE=OFF', '-lco', 'CREATE_SCHEMA=OFF', '-lco', 'SPATIAL_INDEX=NONE', '-lco', 'LAUNDER=NO', '-lco', 'GEOMETRY_NAME=geom', '-lco', 'SRID=4326', '-nln', 'x', '--config', 'PG_USE_COPY', 'YES'], { stdio: ['ignore', 'pipe', 'inherit'] });
const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
let n = 0;
const mode = process.argv[2] ?? 'arrays';
async function* rows() {
  let inCopy = false;
  for await (const line of rl) {
    if (!inCopy) { if (line.startsWith('COPY ')) inCopy = true; continue; }
    if (line === '\\.') { inCopy = false; continue; }
    n++;
    const f = line.split('\t');
    yield [n, f[0], f[1], f[2], f[3], f[4], f[5], 1];
  }
}
await db.copyFrom({ schema: 'public', table: 'proto' }, ['ogc_fid', 'geom', 'id', 'name', 'value', 'lon', 'lat', 'etl_batch_id'], rows());
const t1 = performance.now();
await db.execScript('CREATE INDEX ON proto USING gist (geom); ALTER TABLE proto ADD PRIMARY KEY (ogc_fid); ANALYZE proto;');
const t2 = performance.now();
console.log({ n, load: (t1 - t0) / 1000, index: (t2 - t1) / 1000, total: (t2 - t0) / 1000, rss: process.memoryUsage().rss / 1e6 });
await db.close();
