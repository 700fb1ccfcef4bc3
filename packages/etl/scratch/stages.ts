import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createReadStream } from 'node:fs';
import { createVectorHarness, CONTAINER } from '../test/vector-harness.ts';
const h = await createVectorHarness('postgres');
try {
  await h.store.put({ container: CONTAINER, key: 'pts.fgb' }, createReadStream('/tmp/vb/pts.fgb'));
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const job = await h.run('process_vector', { container_name: CONTAINER, blob_name: 'pts.fgb', table_name: 'pts', overwrite: true, title: `run ${i}` });
    const cpu = process.cpuUsage(cpu0);
    console.log(job.status, ((performance.now() - t0) / 1000).toFixed(2), 's; node cpu', ((cpu.user + cpu.system) / 1e6).toFixed(2), JSON.stringify(job.error ?? '').slice(0, 300));
    const { rows } = await h.db.query(`select task_type, extract(epoch from finished_at - started_at)::float8 as s from app.tasks where job_id = $1 order by stage`, [job.job_id]);
    console.log(rows.map((r: any) => `${r.task_type} ${r.s.toFixed(2)}`).join(' | '));
  }
  const t1 = performance.now();
  await promisify(execFile)('ogr2ogr', ['-f', 'PostgreSQL', `PG:host=127.0.0.1 user=postgres dbname=${new URL((h as any).db.url ?? 'postgres://x/x').pathname.slice(1)}`, '/tmp/vb/pts.fgb', '-nln', 'ogrpts', '--config', 'PG_USE_COPY', 'YES']).catch((e) => console.log(String(e).slice(0, 200)));
} finally { await h.close(); }
