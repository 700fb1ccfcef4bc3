import { createReadStream } from 'node:fs';
import { Value } from 'typebox/value';
import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
import { validateSource } from '../src/vector/validate-stage.ts';
import { loadStage } from '../src/vector/load-stage.ts';
import { processVectorParameters } from '../src/vector/parameters.ts';
const h = await createVectorHarness('postgres');
try {
  await h.store.put({ container: CONTAINER, key: 'pts.fgb' }, createReadStream('/tmp/vb/pts.fgb'));
  const parameters = Value.Default(processVectorParameters, { container_name: CONTAINER, blob_name: 'pts.fgb' }) as any;
  const signal = new AbortController().signal;
  const plan = await validateSource({ db: h.db, store: h.store, home: h.config.home, maxInputBytes: 1e12 }, parameters, signal);
  const ctx = { jobId: 'c'.repeat(64), attempt: 1, signal, lastCheckpoint: null, checkpoint: async () => {}, progress: () => {} } as any;
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  const r = await loadStage({ db: h.db, store: h.store, home: h.config.home }, plan, ctx);
  const cpu = process.cpuUsage(cpu0);
  console.log(r.rows_loaded, ((performance.now() - t0) / 1000).toFixed(2), 's; cpu', ((cpu.user + cpu.system) / 1e6).toFixed(2));
} finally { await h.close(); }
