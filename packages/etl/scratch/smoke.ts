import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
const h = await createVectorHarness((process.argv[2] ?? 'postgres') as 'postgres');
try {
  for (const f of ['places_geojson', 'places_fgb', 'zones_shp', 'places_csv', 'mixed_geojson', 'polygons_geojson']) {
    const path = h.fixtures[f]!;
    const key = await h.upload(path);
    if (f === 'zones_shp') for (const ext of ['shx', 'dbf', 'prj', 'cpg']) await h.upload(path.replace(/shp$/, ext)).catch(() => {});
    const params: Record<string, unknown> = { container_name: CONTAINER, blob_name: key, table_name: f };
    if (f === 'places_csv') Object.assign(params, { lat_column: 'latitude', lon_column: 'longitude' });
    if (f === 'places_geojson') Object.assign(params, { split_column: 'category', temporal_property: 'updated' });
    const t0 = performance.now();
    const job = await h.run('process_vector', params);
    console.log(f, job.status, Math.round(performance.now() - t0), 'ms', JSON.stringify(job.error ?? job.result).slice(0, 600));
  }
  console.log((await h.db.query("select table_name, geometry_type, feature_count, bbox, columns from geo.table_catalog order by 1")).rows.map(r => JSON.stringify(r).slice(0, 300)).join('\n'));
} finally { await h.close(); }
