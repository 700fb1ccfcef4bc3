import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platformTestApp, type Role } from './platform-support.ts';
import type { TestApp } from './support.ts';

/** Row counts of every table in the schemas Meridian writes to (the job engine's tables are in app). */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const { rows: tables } = await t.runtime.db.query<{ name: string }>(
    "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname IN ('app', 'geo', 'catalog', 'external') ORDER BY 1",
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await t.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]!.n;
  return counts;
}

test('dry runs write no row in any table: submit ?dry_run, validate, approve/reject/revoke and unpublish dry_run, refused ones too', async () => {
  const t = await platformTestApp('dry-run');
  const { as } = t;
  // Every platform request but a dry run is recorded in app.api_requests once its response has gone out.
  let recorded = 0;
  const call = async (role: Role, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await t.app.inject({ method, url, headers: as[role], ...(payload ? { payload } : {}) });
    const flag = (payload as { dry_run?: unknown } | undefined)?.dry_run;
    const dry = url.includes('dry_run=true') || url.endsWith('/validate') || flag === true || flag === 'true';
    if (!dry) recorded += 1;
    return response;
  };
  const allRecorded = async () => {
    const deadline = Date.now() + 30_000;
    const count = async () => (await t.runtime.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app.api_requests')).rows[0]!.n;
    while ((await count()) !== recorded && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await count(), recorded, 'exactly the requests that were not dry runs are recorded');
  };
  try {
    const features = [{ type: 'Feature', properties: { name: 'well' }, geometry: { type: 'Point', coordinates: [36.8, -1.3] } }];
    await t.runtime.store.put({ container: 'bronze-uploads', key: 'wells.geojson' }, JSON.stringify({ type: 'FeatureCollection', features }));
    const body = { dataset_id: 'water', resource_id: 'wells', version_id: 'v1', container_name: 'bronze-uploads', file_name: 'wells.geojson' };
    const accepted = await call('submitter', 'POST', '/api/platform/submit', body);
    assert.equal(accepted.statusCode, 202, accepted.body);
    const requestId = accepted.json().request_id as string;
    await t.startWorker();
    const deadline = Date.now() + 60_000;
    while ((await call('reader', 'GET', `/api/platform/status/${requestId}`)).json().release.processing_status !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await t.stopWorker();

    const dryRuns = async (expected: [string, string, object, number][]) => {
      await allRecorded();
      const before = await rowCounts(t);
      assert.ok(before['app.releases']! > 0 && before['app.jobs']! > 0 && before['geo.table_catalog']! > 0, 'there is state a dry run could touch');
      for (const [role, url, payload, status] of expected) {
        const response = await call(role as Role, 'POST', url, payload);
        assert.equal(response.statusCode, status, `${url} ${JSON.stringify(payload)}: ${response.body}`);
        if (status === 200) assert.equal(response.json().dry_run, true);
      }
      await allRecorded();
      assert.deepEqual(await rowCounts(t), before, 'no table has a row more or less');
    };

    // Pending review: the real submit and status calls were recorded; the dry runs are not.
    await dryRuns([
      ['submitter', '/api/platform/submit?dry_run=true', { ...body, processing_options: { overwrite: true } }, 200],
      ['submitter', '/api/platform/submit?dry_run=true', body, 409],
      ['submitter', '/api/platform/validate', { ...body, version_id: 'v2' }, 200],
      ['submitter', '/api/platform/validate', { ...body, colour: 'red' }, 400],
      ['reviewer', '/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'public', dry_run: true }, 200],
      ['reviewer', '/api/platform/reject', { request_id: requestId, reviewer: 'rita', reason: 'blurry', dry_run: true }, 200],
      ['reviewer', '/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'n/a', dry_run: true }, 200],
      ['submitter', '/api/platform/unpublish', { request_id: requestId, dry_run: true }, 200],
    ]);

    const approved = await call('reviewer', 'POST', '/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'ouo' });
    assert.equal(approved.statusCode, 200, approved.body);
    // Approved: revoke and unpublish would now act, a new version needs previous_version_id.
    await dryRuns([
      ['reviewer', '/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'superseded', dry_run: true }, 200],
      ['submitter', '/api/platform/unpublish', { request_id: requestId, dry_run: true }, 200],
      ['submitter', '/api/platform/submit?dry_run=true', { ...body, version_id: 'v2', previous_version_id: 'v1' }, 200],
      ['submitter', '/api/platform/submit?dry_run=true', { ...body, version_id: 'v2' }, 400],
      ['reviewer', '/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'ouo', dry_run: 'true' }, 200],
    ]);
  } finally {
    await t.close();
  }
});
