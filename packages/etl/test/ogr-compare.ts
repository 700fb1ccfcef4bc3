/**
 * The independent check of a load: what `ogrinfo -al` prints for every feature of the source file (field
 * values and geometry as WKT), compared with the rows of the loaded table(s) — counts, values, geometries
 * (within a tolerance, in EPSG:4326), validity and SRID.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Queryable } from '@meridian/db';

const run = promisify(execFile);

export interface OgrFeature {
  /** Position in the source, from 1: the loaded row's ogc_fid. */
  ordinal: number;
  fields: Map<string, { type: string; text: string | null }>;
  wkt: string | null;
}

const FIELD = /^ {2}(.*) \(([A-Za-z0-9]+(?:\([A-Za-z0-9]+\))?)\) = (.*)$/;
const GEOMETRY = /^ {2}((?:MULTI)?(?:POINT|LINESTRING|POLYGON)|GEOMETRYCOLLECTION)\b/;

/** Every feature of a layer as ogrinfo prints it. */
export async function ogrFeatures(path: string, options: { layer?: string; openOptions?: string[] } = {}): Promise<OgrFeature[]> {
  const args = ['-ro', '-al', '-q', ...(options.openOptions ?? []).flatMap((o) => ['-oo', o]), path, ...(options.layer ? [options.layer] : [])];
  const { stdout } = await run('ogrinfo', args, { maxBuffer: 256 * 1024 * 1024 });
  const features: OgrFeature[] = [];
  let current: OgrFeature | null = null;
  let last: { type: string; text: string | null } | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('OGRFeature(')) {
      current = { ordinal: features.length + 1, fields: new Map(), wkt: null };
      features.push(current);
      last = null;
      continue;
    }
    if (!current) continue;
    const geometry = GEOMETRY.exec(line);
    const field = geometry ? null : FIELD.exec(line);
    if (geometry) {
      current.wkt = line.trim();
      last = null;
    } else if (field) {
      last = { type: field[2]!, text: field[3] === '(null)' ? null : field[3]! };
      current.fields.set(field[1]!, last);
    } else if (last && line !== '') {
      // A value with a newline goes on over the next lines.
      last.text = `${last.text ?? ''}\n${line}`;
    }
  }
  return features;
}

function offsetIso(text: string): string {
  const m = /^(\d{4})\/(\d\d)\/(\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-])(\d\d):?(\d\d)?)?$/.exec(text);
  assert.ok(m, `not an OGR date-time: ${text}`);
  const offset = m[5] ? `${m[5]}${m[6]}:${m[7] ?? '00'}` : 'Z';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}${offset}`;
}

function listItems(text: string): string[] {
  const m = /^\((\d+):(.*)\)$/s.exec(text);
  assert.ok(m, `not an OGR list: ${text}`);
  return Number(m[1]) === 0 ? [] : m[2]!.split(',');
}

/** The OGR text of a value and the database's JSON of it, brought to one comparable form. */
function comparable(type: string, text: string | null, value: unknown): [unknown, unknown] {
  if (text === null) return [null, value];
  switch (type) {
    case 'Integer':
    case 'Integer64':
    case 'Real':
      return [Number(text), value === null ? null : Number(value)];
    case 'Integer(Boolean)':
      return [text === '1', value];
    case 'Date':
      return [text.replace(/\//g, '-'), value];
    case 'DateTime':
      return [Date.parse(offsetIso(text)), typeof value === 'string' ? Date.parse(value) : value];
    case 'IntegerList':
    case 'Integer64List':
    case 'RealList':
      return [listItems(text).map(Number), value];
    case 'StringList':
      return [listItems(text), value];
    case 'String(JSON)':
      return [JSON.parse(text), value];
    default:
      return [text, value];
  }
}

export interface CompareOptions {
  /** The tables holding the load (several when it was split by geometry kind). */
  tables: string[];
  /** The EPSG code of the source coordinates ogrinfo prints. */
  sourceSrid: number;
  /** Largest distance between a loaded geometry and the source's (degrees). */
  tolerance?: number;
}

/** Asserts that the loaded tables hold exactly the source's features with a geometry, value for value. */
export async function assertMatchesSource(db: Queryable, features: OgrFeature[], options: CompareOptions): Promise<void> {
  const { rows: catalog } = await db.query<{ columns: { name: string; original_name: string }[] }>('SELECT columns FROM geo.table_catalog WHERE table_name = $1', [options.tables[0]]);
  const names = new Map(catalog[0]!.columns.map((c) => [c.original_name, c.name]));
  const rows = new Map<number, { props: Record<string, unknown>; table: string }>();
  for (const table of options.tables) {
    const { rows: loaded } = await db.query<{ ogc_fid: number; props: Record<string, unknown>; valid: boolean; srid: number }>(
      `SELECT ogc_fid, to_jsonb(t) - 'geom' AS props, ST_IsValid(geom) AS valid, ST_SRID(geom) AS srid FROM geo."${table}" t`,
    );
    for (const row of loaded) {
      assert.ok(row.valid, `${table} #${row.ogc_fid}: the geometry is valid`);
      assert.equal(row.srid, 4326);
      assert.ok(!rows.has(row.ogc_fid), `feature ${row.ogc_fid} is loaded once`);
      rows.set(row.ogc_fid, { props: row.props, table });
    }
  }
  const expected = features.filter((f) => f.wkt !== null && !/ EMPTY$/.test(f.wkt));
  assert.equal(rows.size, expected.length, 'one row per source feature with a geometry');
  for (const feature of expected) {
    const row = rows.get(feature.ordinal);
    assert.ok(row, `source feature ${feature.ordinal} was loaded`);
    for (const [original, { type, text }] of feature.fields) {
      const column = names.get(original);
      assert.ok(column, `column for "${original}"`);
      const [want, got] = comparable(type, text, row.props[column]);
      assert.deepEqual(got, want, `feature ${feature.ordinal}, "${original}" (${type})`);
    }
    const { rows: distance } = await db.query<{ d: number }>(
      `SELECT ST_HausdorffDistance(t.geom, ST_Transform(ST_MakeValid(ST_GeomFromText($2, $3::int)), 4326)) AS d FROM geo."${row.table}" t WHERE ogc_fid = $1`,
      [feature.ordinal, feature.wkt, options.sourceSrid],
    );
    assert.ok(distance[0]!.d <= (options.tolerance ?? 1e-9), `feature ${feature.ordinal}: geometry within tolerance (distance ${distance[0]!.d})`);
  }
}
