/**
 * Small published vector tables for tests, created directly in schema geo with their catalog rows (the
 * way the ETL will leave them): `places` (points; unicode, quotes, LIKE wildcards and NULLs in the
 * attributes; places on both sides of the antimeridian), `zones` (polygons, one with a hole, one multi;
 * a timestamp column), and `secret_places` (loaded but not served).
 */
import type { Queryable } from '@meridian/db';
import { upsertVectorTable } from '../src/index.ts';

export interface Place {
  id: number;
  name: string | null;
  pop: number | null;
  score: number | null;
  active: boolean | null;
  tags: string[] | null;
  founded: string | null;
  lon: number;
  lat: number;
}

export const PLACES: readonly Place[] = [
  { id: 1, name: 'Zürich', pop: 415367, score: 8.5, active: true, tags: ['city', 'lake'], founded: '1218-01-01', lon: 8.5417, lat: 47.3769 },
  { id: 2, name: 'Genève', pop: 203856, score: 7.25, active: true, tags: ['city', 'lake'], founded: '1200-06-15', lon: 6.1432, lat: 46.2044 },
  { id: 3, name: 'São Paulo', pop: 12325232, score: 6, active: false, tags: ['city', 'megacity'], founded: '1554-01-25', lon: -46.6333, lat: -23.5505 },
  { id: 4, name: 'Malmö', pop: 347949, score: 7.75, active: true, tags: ['city', 'port'], founded: '1275-01-01', lon: 13.0038, lat: 55.605 },
  { id: 5, name: "O'Brien", pop: null, score: null, active: null, tags: null, founded: null, lon: -122, lat: 45 },
  { id: 6, name: 'Ålesund', pop: 67114, score: 8, active: true, tags: ['port'], founded: '1848-01-01', lon: 6.1549, lat: 62.4722 },
  { id: 7, name: 'Reykjavík', pop: 139875, score: 9, active: true, tags: ['port', 'city'], founded: '1786-08-18', lon: -21.9426, lat: 64.1466 },
  { id: 8, name: 'Auckland', pop: 1657200, score: 8.25, active: true, tags: ['city', 'port'], founded: '1840-09-18', lon: 174.7633, lat: -36.8485 },
  { id: 9, name: 'Suva', pop: 93970, score: 7.5, active: false, tags: ['port'], founded: '1882-01-01', lon: 178.4419, lat: -18.1416 },
  { id: 10, name: 'Apia', pop: 36735, score: 7, active: false, tags: ['port'], founded: '1850-01-01', lon: -171.7514, lat: -13.8333 },
  { id: 11, name: 'Quito', pop: 2011388, score: 7, active: true, tags: ['city'], founded: '1534-12-06', lon: -78.4678, lat: -0.1807 },
  { id: 12, name: '100% pure_test', pop: 1, score: 0.5, active: false, tags: [], founded: '2000-01-01', lon: 0.5, lat: 0.5 },
];

export interface Zone {
  id: number;
  label: string | null;
  kind: string;
  area: string | null;
  observed: string | null;
  /** WKT in lon/lat. */
  wkt: string;
}

export const ZONES: readonly Zone[] = [
  { id: 1, label: 'Zone Élan', kind: 'park', area: '12.5', observed: '2021-01-01T00:00:00Z', wkt: 'MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(4 4,4 6,6 6,6 4,4 4)))' },
  { id: 2, label: 'Zone B', kind: 'lake', area: '3.25', observed: '2021-06-15T12:30:00Z', wkt: 'MULTIPOLYGON(((20 0,30 0,30 10,20 10,20 0)))' },
  { id: 3, label: null, kind: 'park', area: null, observed: null, wkt: 'MULTIPOLYGON(((0 20,10 20,10 30,0 30,0 20)))' },
  { id: 4, label: '東京区', kind: 'urban', area: '100', observed: '2022-03-01T08:00:00.5Z', wkt: 'MULTIPOLYGON(((40 0,45 0,45 5,40 5,40 0)),((50 0,55 0,55 5,50 5,50 0)))' },
  { id: 5, label: 'Zone Œ', kind: 'lake', area: '0.75', observed: '2020-12-31T23:59:59Z', wkt: 'MULTIPOLYGON(((100 50,101 50,101 51,100 51,100 50)))' },
];

export async function createVectorFixtures(db: Queryable): Promise<void> {
  await db.execScript(`
    CREATE TABLE geo.places (id bigint PRIMARY KEY, name text, pop integer, score double precision, active boolean,
      tags text[], founded date, geom geometry(Point, 4326), etl_batch_id text);
    CREATE TABLE geo.zones (id bigint PRIMARY KEY, label text, kind text, area_km2 numeric, observed timestamptz,
      meta jsonb, geom geometry(MultiPolygon, 4326));
    CREATE TABLE geo.secret_places (id bigint PRIMARY KEY, name text, geom geometry(Point, 4326));
    CREATE INDEX ON geo.places USING gist (geom);
    CREATE INDEX ON geo.zones USING gist (geom);`);
  for (const p of PLACES) {
    await db.query(
      `INSERT INTO geo.places VALUES ($1, $2, $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326), 'batch-1')`,
      [p.id, p.name, p.pop, p.score, p.active, p.tags, p.founded, p.lon, p.lat],
    );
  }
  for (const z of ZONES) {
    await db.query(`INSERT INTO geo.zones VALUES ($1, $2, $3, $4, $5, $6, ST_GeomFromText($7, 4326))`, [z.id, z.label, z.kind, z.area, z.observed, JSON.stringify({ source: 'fixture', n: z.id }), z.wkt]);
  }
  await db.query(`INSERT INTO geo.secret_places VALUES (1, 'hidden', ST_SetSRID(ST_MakePoint(1, 1), 4326))`);
  await db.execScript('ANALYZE geo.places; ANALYZE geo.zones;');

  await upsertVectorTable(db, {
    tableName: 'places',
    title: 'Places',
    description: 'Towns of the test fixture',
    bbox: [-171.7514, -36.8485, 178.4419, 64.1466],
    geometryType: 'Point',
    sourceCrs: 'EPSG:4326',
    featureCount: PLACES.length,
    columns: [
      { name: 'name', type: 'text', original_name: 'Name' },
      { name: 'pop', type: 'integer', original_name: 'Population' },
      { name: 'score', type: 'double', original_name: 'score' },
      { name: 'active', type: 'boolean', original_name: 'Active?' },
      { name: 'tags', type: 'text[]', original_name: 'tags' },
      { name: 'founded', type: 'date', original_name: 'Founded' },
    ],
    sourceContainer: 'bronze-test',
    sourceBlob: 'places.geojson',
    served: true,
  });
  await upsertVectorTable(db, {
    tableName: 'zones',
    title: 'Zones',
    description: 'Polygons with a timestamp',
    bbox: [0, 0, 101, 51],
    temporalStart: new Date('2020-12-31T23:59:59Z'),
    temporalEnd: new Date('2022-03-01T08:00:00.5Z'),
    temporalProperty: 'observed',
    geometryType: 'MultiPolygon',
    featureCount: ZONES.length,
    columns: [
      { name: 'label', type: 'text', original_name: 'Label' },
      { name: 'kind', type: 'text', original_name: 'Kind' },
      { name: 'area_km2', type: 'numeric', original_name: 'Area (km²)' },
      { name: 'observed', type: 'timestamptz', original_name: 'Observed' },
      { name: 'meta', type: 'json', original_name: 'meta' },
    ],
    served: true,
  });
  await upsertVectorTable(db, { tableName: 'secret_places', title: 'Secret', geometryType: 'Point', featureCount: 1, columns: [{ name: 'name', type: 'text' }] });
}
