import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
const h = await createVectorHarness('pglite');
try {
  const key = await h.upload(h.fixtures.places_geojson!);
  const t0 = performance.now();
  const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'places', split_column: 'category', temporal_property: 'updated' });
  console.log(job.status, performance.now() - t0, JSON.stringify(job.error), JSON.stringify(job.result)?.slice(0, 300));
  const t = await h.service.tasks(job.job_id, { limit: 10, offset: 0 });
  console.log(JSON.stringify(t.tasks.map((x) => [x.task_type, x.status, x.error, x.attempt])));
} finally { await h.close(); }
