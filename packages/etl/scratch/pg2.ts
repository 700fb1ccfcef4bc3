import { Value } from 'typebox/value';
import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
import { validateSource } from '../src/vector/validate-stage.ts';
import { loadStage } from '../src/vector/load-stage.ts';
import { processVectorParameters } from '../src/vector/parameters.ts';
const h = await createVectorHarness('pglite');
try {
  const key = await h.upload(h.fixtures.places_geojson!);
  const parameters = Value.Default(processVectorParameters, { container_name: CONTAINER, blob_name: key }) as any;
  const signal = new AbortController().signal;
  console.time('validate');
  const plan = await validateSource({ db: h.db, store: h.store, home: h.config.home, maxInputBytes: 1e9 }, parameters, signal);
  console.timeEnd('validate');
  const ctx = { jobId: 'b'.repeat(64), attempt: 1, signal, lastCheckpoint: null, checkpoint: async (p: string, d: unknown) => console.log('checkpoint', p, JSON.stringify(d)), progress: () => {} } as any;
  const timer = setInterval(() => console.log('tick'), 5000);
  console.time('load');
  const r = await loadStage({ db: h.db, store: h.store, home: h.config.home }, plan, ctx);
  console.timeEnd('load');
  clearInterval(timer);
  console.log(r.rows_loaded);
} finally { await h.close(); }
