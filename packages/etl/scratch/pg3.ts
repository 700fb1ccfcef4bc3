import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
const h = await createVectorHarness('pglite', { env: { MERIDIAN_TASK_LEASE_MS: '4000' } });
try {
  const key = await h.upload(h.fixtures.places_geojson!);
  const { job } = await h.service.submit('process_vector', { container_name: CONTAINER, blob_name: key, table_name: 'places' });
  for (let i = 0; i < 12; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const t = await h.service.tasks(job.job_id, { limit: 10, offset: 0 });
    console.log(i, JSON.stringify(t.tasks.map((x) => [x.task_type, x.status, x.attempt, x.error?.message?.slice(0, 80)])));
  }
} finally { await h.close(); }
