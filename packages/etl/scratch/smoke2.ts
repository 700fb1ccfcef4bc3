import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
const h = await createVectorHarness((process.argv[2] ?? 'postgres') as 'postgres');
const cases: [string, Record<string, unknown>, string[]?][] = [['unicode_geojson', {}],
  ['zones_shp', {}, ['shx', 'dbf', 'prj', 'cpg']],
  ['zones_zip', {}],
  ['places_gpkg', {}],
  ['places_gpkg', { layer_name: 'zones', table_name: 'gpkg_zones' }],
  ['places_kml', {}],
  ['places_kmz', {}],
  ['places_geojsonl', {}],
  ['shapes_csv', { wkt_column: 'wkt' }],
  ['unicode_geojson', {}],
  ['huge_polygon_geojson', {}],
  ['many_points_geojsonl', {}],
  ['truncated_geojson', {}], ['html_geojson', {}], ['empty_geojson', {}], ['two_shapefiles_zip', {}], ['no_shapefile_zip', {}],
  ['lat999_csv', { lat_column: 'latitude', lon_column: 'longitude' }], ['header_only_csv', { lat_column: 'latitude', lon_column: 'longitude' }],
  ['empty_kml', {}], ['parquet', {}], ['text', {}], ['places_csv', {}], ['places_csv', { lat_column: 'lat', lon_column: 'lon', table_name: 'x' }],
];
try {
  for (const [f, extra, parts] of cases) {
    const path = h.fixtures[f]!;
    const key = await h.upload(path);
    for (const ext of parts ?? []) await h.upload(path.replace(/shp$/, ext));
    const params: Record<string, unknown> = { container_name: CONTAINER, blob_name: key, table_name: f, ...extra };
    const t0 = performance.now();
    const job = await h.run('process_vector', params);
    const r = job.result as any;
    console.log(f, job.status, Math.round(performance.now() - t0), 'ms', job.error ? `${job.error.code}: ${job.error.message}` : JSON.stringify({ n: r.feature_count, t: r.geometry_type, tables: r.table_names, crs: r.source_crs, w: r.warnings.map((w: any) => w.code + ':' + w.message) }).slice(0, 700));
  }
  console.log((await h.db.query("select table_name, columns from geo.table_catalog where table_name like 'unicode%'")).rows.map(r => JSON.stringify(r)).join('\n'));
  console.log(JSON.stringify((await h.db.query("select * from geo.zones_shp order by ogc_fid")).rows.map(r=>({...r, geom: String(r.geom).slice(0,30)}))));
  console.log((await h.db.query("select schemaname, tablename from pg_tables where schemaname in ('etl','geo') order by 1,2")).rows.map(r => r.schemaname+'.'+r.tablename).join(' '));
} finally { await h.close(); }
