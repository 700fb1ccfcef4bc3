import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, registerEndpoint, signature } from '@meridian/platform';
import { rgbImage } from '../../../fixtures/raster-fixtures.ts';
import { local, platformTestApp, processed, waitForJob, waitForStatus, type Role } from './platform-support.ts';
import type { TestApp } from './support.ts';

test('raster lifecycle through the real ETL: submit → 202 → approve → served by role → revoke → unpublish; versions', async () => {
  const t = await platformTestApp('lifecycle');
  const { as } = t;
  try {
    await t.uploadGeoTiff('scenes/scene.tif', rgbImage(96, 64));
    const body = { dataset_id: 'Nairobi', resource_id: 'scene', container_name: 'bronze-uploads', file_name: 'scenes/scene.tif', title: 'Nairobi scene' };
    const post = (url: string, payload: object, role: Role) => t.app.inject({ method: 'POST', url, payload, headers: as[role] });

    const accepted = await post('/api/platform/submit', body, 'submitter');
    assert.equal(accepted.statusCode, 202, accepted.body);
    const { request_id: requestId, job_type: jobType, monitor_url: monitorUrl } = accepted.json();
    assert.equal(jobType, 'process_raster');
    assert.equal(monitorUrl, `http://meridian.test/api/platform/status/${requestId}`);
    const processing = await t.app.inject({ method: 'GET', url: local(monitorUrl), headers: as.reader });
    assert.equal(processing.statusCode, 202);
    assert.equal(processing.headers['retry-after'], '5');
    assert.equal((await post('/api/platform/submit', body, 'submitter')).json().error_type, 'ReleaseExistsError');

    await t.startWorker();
    const completed = await waitForStatus(t, as.reader, requestId, (b) => (b.release as Record<string, unknown>).processing_status !== 'pending' && (b.release as Record<string, unknown>).processing_status !== 'processing');
    assert.equal(completed.job_status, 'completed', JSON.stringify(completed.error));
    const services = completed.services as Record<string, string>;
    assert.equal(services.stac_item, 'http://meridian.test/api/stac/collections/nairobi-scene/items/nairobi-scene-ord1');

    // Pending review: only reviewers see the item and its tiles; everyone else gets 404, never 403.
    const seen = async (url: string) => Object.fromEntries(await Promise.all((['anonymous', 'reader', 'submitter', 'reviewer'] as const).map(async (role) =>
      [role, (await t.app.inject({ method: 'GET', url: local(url), headers: as[role] })).statusCode])));
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });

    const approved = await post('/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'ouo' }, 'reviewer');
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().version_id, 'v1');
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 200, submitter: 200, reviewer: 200 });
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 200, submitter: 200, reviewer: 200 });
    const item = (await t.app.inject({ method: 'GET', url: local(services.stac_item!), headers: as.reader })).json();
    assert.deepEqual([item.properties['platform:dataset_id'], item.properties['platform:resource_id'], item.properties['platform:version_id']], ['Nairobi', 'scene', 'v1']);

    // A second version, approved public: anonymous callers see it, and v1 stays as it was.
    const v2 = await post('/api/platform/submit', { ...body, version_id: 'v2', previous_version_id: 'v1' }, 'submitter');
    assert.equal(v2.statusCode, 202, v2.body);
    const v2Done = await waitForStatus(t, as.reader, v2.json().request_id, (b) => (b.release as Record<string, unknown>).processing_status === 'completed');
    const v2Item = (v2Done.services as Record<string, string>).stac_item!;
    const v2Approval = await post('/api/platform/approve', { request_id: v2.json().request_id, reviewer: 'rita', clearance_state: 'public' }, 'reviewer');
    assert.deepEqual(await seen(v2Item), { anonymous: 200, reader: 200, submitter: 200, reviewer: 200 });
    // The public COG is copied to the external zone, where anonymous callers may download it.
    assert.equal(await waitForJob(t, as.reviewer, v2Approval.json().export_job_id), 'completed');
    const blobPath = ((await waitForStatus(t, as.reader, v2.json().request_id, () => true)).outputs as Record<string, string>).blob_path!;
    assert.match(blobPath, /^silver-rasters\//);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/storage/external-public/${blobPath}` })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/storage/${blobPath}` })).statusCode, 404, 'the silver original is not for anonymous callers');
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 200, submitter: 200, reviewer: 200 });
    assert.deepEqual((v2Done.versions as Record<string, unknown>[]).map((v) => v.version_ordinal), [2, 1]);

    // Revoke v1: unserved everywhere at once; reviewers still see it (data kept for audit).
    assert.equal((await post('/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'superseded' }, 'submitter')).statusCode, 403);
    const revoked = await post('/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'superseded' }, 'reviewer');
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 200 });

    // Unpublish v1 (dry run first), idempotent; v2 keeps being served.
    const dry = await post('/api/platform/unpublish', { request_id: requestId, dry_run: true }, 'submitter');
    assert.deepEqual([dry.statusCode, dry.json().dry_run, dry.json().data_type], [200, true, 'raster']);
    const gone = await post('/api/platform/unpublish', { request_id: requestId }, 'submitter');
    assert.equal(gone.statusCode, 202, gone.body);
    assert.equal(gone.json().job_type, 'unpublish_raster');
    const again = await post('/api/platform/unpublish', { request_id: requestId }, 'submitter');
    assert.deepEqual([again.statusCode, again.json().job_id], [200, gone.json().job_id]);
    assert.equal(await waitForJob(t, as.reviewer, gone.json().job_id), 'completed');
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, submitter: 404, reviewer: 404 });
    assert.deepEqual(await seen(v2Item), { anonymous: 200, reader: 200, submitter: 200, reviewer: 200 });

    const history = (await t.app.inject({ method: 'GET', url: '/api/approvals/history', headers: as.reviewer })).json();
    assert.deepEqual(history.entries.map((e: { action: string }) => e.action).reverse(), ['submitted', 'approved', 'submitted', 'approved', 'revoked', 'unpublished']);
  } finally {
    await t.close();
  }
});

test('vector lifecycle through the real ETL: dry run writes nothing; approve → served; revoke → overwrite (revision 2) → approve public → unpublish', async () => {
  const t = await platformTestApp('lifecycle-vector');
  const { as } = t;
  try {
    const features = Array.from({ length: 5 }, (_, i) => ({ type: 'Feature', properties: { name: `site ${i}`, rank: i }, geometry: { type: 'Point', coordinates: [36.8 + i / 100, -1.3] } }));
    await t.runtime.store.put({ container: 'bronze-uploads', key: 'sites.geojson' }, JSON.stringify({ type: 'FeatureCollection', features }));
    const body = { dataset_id: '0085581', resource_id: 'DR0104298', version_id: '1', container_name: 'bronze-uploads', file_name: 'sites.geojson', title: 'Sites' };
    const post = (url: string, payload: object, role: Role) => t.app.inject({ method: 'POST', url, payload, headers: as[role] });
    const seen = async (url: string) => Object.fromEntries(await Promise.all((['anonymous', 'reader', 'reviewer'] as const).map(async (role) =>
      [role, (await t.app.inject({ method: 'GET', url: local(url), headers: as[role] })).statusCode])));
    const rows = async () => Promise.all(['app.assets', 'app.releases', 'app.release_audit', 'app.jobs', 'geo.table_catalog'].map(async (table) =>
      (await t.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n));

    const before = await rows();
    const dry = await post('/api/platform/validate', body, 'submitter');
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual([dry.json().would_create_job_type, dry.json().lineage.action], ['process_vector', 'create']);
    assert.equal((await post('/api/platform/submit?dry_run=true', { ...body, processing_options: { bogus: 1 } }, 'submitter')).statusCode, 400);
    assert.deepEqual(await rows(), before, 'dry runs wrote nothing');

    const accepted = await post('/api/platform/submit', body, 'submitter');
    assert.equal(accepted.statusCode, 202, accepted.body);
    const requestId = accepted.json().request_id as string;
    await t.startWorker();
    const done = await waitForStatus(t, as.reader, requestId, processed);
    assert.equal(done.job_status, 'completed', JSON.stringify(done.error));
    const outputs = done.outputs as Record<string, unknown>;
    assert.equal(outputs.table_name, 't_0085581_dr0104298_1');
    assert.equal(outputs.stac_item_id, '0085581-dr0104298-1');
    const services = done.services as Record<string, string>;
    assert.equal(services.service_url, 'http://meridian.test/api/features/collections/t_0085581_dr0104298_1');
    // Pending review: only reviewers see the features (the vector curator viewer needs them).
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, reviewer: 200 });
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, reviewer: 200 });

    // A registered endpoint receives the approval, signed, through the app's durable delivery loop.
    const received: { body: string; signature: string }[] = [];
    const receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ body: text, signature: String(request.headers[SIGNATURE_HEADER]) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      await registerEndpoint(t.runtime.db, { url: hookUrl, events: ['release.approved'], secret: 'lifecycle-secret-0123456789' });
      assert.equal((await post('/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'ouo' }, 'reviewer')).statusCode, 200);
      const deadline = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(JSON.parse(received[0]!.body).event_type, 'release.approved');
      assert.equal(received[0]!.signature, signature('lifecycle-secret-0123456789', received[0]!.body));
    } finally {
      receiver.close();
    }
    assert.equal((await seen(services.service_url!)).reader, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: local(services.preview!), headers: as.reader })).json().features.length, 5);
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 200, reviewer: 200 });
    const served = (await t.runtime.db.query<{ served: boolean; access_level: string }>('SELECT served, access_level FROM geo.table_catalog WHERE table_name = $1', ['t_0085581_dr0104298_1'])).rows[0];
    assert.deepEqual(served, { served: true, access_level: 'ouo' });

    assert.equal((await post('/api/platform/revoke', { request_id: requestId, reviewer: 'rita', reason: 'wrong layer' }, 'reviewer')).statusCode, 200);
    // Revoked: unserved everywhere at once; the data is kept for audit, so reviewers still see it.
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, reviewer: 200 });
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 404, reader: 404, reviewer: 200 });

    // A revoked release may be overwritten: same release, revision 2, reviewed again.
    const revised = await post('/api/platform/submit', { ...body, processing_options: { overwrite: true } }, 'submitter');
    assert.equal(revised.statusCode, 202, revised.body);
    const redone = await waitForStatus(t, as.reader, requestId, (b) => (b.release as Record<string, unknown>).revision === 2 && (b.release as Record<string, unknown>).processing_status === 'completed');
    assert.equal((redone.release as Record<string, unknown>).approval_state, 'pending_review');
    const publicApproval = await post('/api/platform/approve', { request_id: requestId, reviewer: 'rita', clearance_state: 'public' }, 'reviewer');
    assert.equal(publicApproval.statusCode, 200, publicApproval.body);
    assert.deepEqual(await seen(services.stac_item!), { anonymous: 200, reader: 200, reviewer: 200 });
    // Public approval exports the table to the external schema, with an audit row per copy.
    assert.equal(await waitForJob(t, as.reviewer, publicApproval.json().export_job_id), 'completed');
    assert.equal((await t.runtime.db.query<{ n: number }>('SELECT count(*)::int AS n FROM external.t_0085581_dr0104298_1')).rows[0]!.n, 5);

    const refused = await post('/api/platform/unpublish', { request_id: requestId }, 'submitter');
    assert.deepEqual([refused.statusCode, refused.json().error_type], [400, 'ValidationError']);
    const gone = await post('/api/platform/unpublish', { request_id: requestId, force_approved: true }, 'submitter');
    assert.equal(gone.statusCode, 202, gone.body);
    assert.equal(gone.json().job_type, 'unpublish_vector');
    assert.equal(await waitForJob(t, as.reviewer, gone.json().job_id), 'completed');
    assert.deepEqual(await seen(services.service_url!), { anonymous: 404, reader: 404, reviewer: 404 });
    const exists = async (name: string) => (await t.runtime.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]!.t !== null;
    assert.equal(await exists('geo.t_0085581_dr0104298_1'), false, 'the table is dropped');
    const withdraw = (await t.runtime.db.query<{ job_id: string }>("SELECT job_id FROM app.jobs WHERE job_type = 'export_public' AND parameters->>'action' = 'withdraw'")).rows[0]!;
    assert.equal(await waitForJob(t, as.reviewer, withdraw.job_id), 'completed');
    assert.equal(await exists('external.t_0085581_dr0104298_1'), false, 'the public copy is withdrawn');
    const exports = (await t.runtime.db.query<{ kind: string; target: string; action: string }>('SELECT kind, target, action FROM app.public_exports ORDER BY export_id')).rows;
    assert.deepEqual(exports, [{ kind: 'table', target: 'external.t_0085581_dr0104298_1', action: 'copied' }, { kind: 'table', target: 'external.t_0085581_dr0104298_1', action: 'removed' }]);
    assert.equal((await t.runtime.store.head({ container: 'bronze-uploads', key: 'sites.geojson' })) !== null, true, 'the upload is kept');
  } finally {
    await t.close();
  }
});

test('raster collection: several GeoTIFFs → one mosaic release; approval serves every item, revocation hides them', async () => {
  const t = await platformTestApp('lifecycle-collection');
  const { as } = t;
  try {
    for (const name of ['tile-a', 'tile-b']) {
      await t.uploadGeoTiff(`mosaic/${name}.tif`, rgbImage(64, 64));
    }
    const body = { dataset_id: 'imagery', resource_id: 'mosaic', container_name: 'bronze-uploads', file_name: ['mosaic/tile-a.tif', 'mosaic/tile-b.tif'], access_level: 'public' };
    const accepted = await t.app.inject({ method: 'POST', url: '/api/platform/submit', payload: body, headers: as.submitter });
    assert.equal(accepted.statusCode, 202, accepted.body);
    assert.equal(accepted.json().job_type, 'process_raster_collection');
    await t.startWorker();
    const done = await waitForStatus(t, as.reader, accepted.json().request_id, processed);
    assert.equal(done.job_status, 'completed', JSON.stringify(done.error));
    const outputs = done.outputs as { stac_collection_id: string; stac_item_ids: string[]; search_id: string };
    assert.equal(outputs.stac_collection_id, 'imagery-mosaic');
    assert.equal(outputs.stac_item_ids.length, 2);
    assert.match(outputs.search_id, /./);
    const items = outputs.stac_item_ids.map((id) => `/api/stac/collections/imagery-mosaic/items/${id}`);
    const codes = async (role: Role) => Promise.all(items.map(async (url) => (await t.app.inject({ method: 'GET', url, headers: as[role] })).statusCode));
    assert.deepEqual([await codes('anonymous'), await codes('reviewer')], [[404, 404], [200, 200]]);

    const approved = await t.app.inject({ method: 'POST', url: '/api/platform/approve', payload: { request_id: accepted.json().request_id, reviewer: 'rita', clearance_state: 'public' }, headers: as.reviewer });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual(await codes('anonymous'), [200, 200]);
    await t.app.inject({ method: 'POST', url: '/api/platform/revoke', payload: { request_id: accepted.json().request_id, reviewer: 'rita', reason: 'clouds' }, headers: as.reviewer });
    assert.deepEqual([await codes('anonymous'), await codes('reader'), await codes('reviewer')], [[404, 404], [404, 404], [200, 200]]);

    // Unpublish the collection: a dry run lists every item and file, the job removes them all.
    const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/platform/unpublish', payload, headers: as.submitter });
    const before = await leftovers(t, 'imagery-mosaic');
    assert.deepEqual([before.items, before.metadataRows, before.blobs.length], [2, 2, 4], 'two COGs and two thumbnails');
    const dry = await post({ request_id: accepted.json().request_id, dry_run: true });
    assert.equal(dry.statusCode, 200, dry.body);
    assert.deepEqual(dry.json().would_delete.stac_item_ids, outputs.stac_item_ids);
    assert.deepEqual([...dry.json().would_delete.blob_paths].sort(), before.blobs.map((k) => `silver-rasters/${k}`).sort());
    assert.deepEqual(await leftovers(t, 'imagery-mosaic'), before, 'the dry run deleted nothing');
    const gone = await post({ request_id: accepted.json().request_id });
    assert.equal(gone.statusCode, 202, gone.body);
    assert.equal(gone.json().job_type, 'unpublish_raster');
    const again = await post({ request_id: accepted.json().request_id });
    assert.deepEqual([again.statusCode, again.json().job_id], [200, gone.json().job_id]);
    assert.equal(await waitForJob(t, as.reviewer, gone.json().job_id), 'completed');
    assert.deepEqual(await leftovers(t, 'imagery-mosaic'), { items: 0, metadataRows: 0, blobs: [] });
    assert.deepEqual(await codes('reviewer'), [404, 404]);
    const tiles = await t.app.inject({ method: 'GET', url: `/api/raster/collections/imagery-mosaic/items/${outputs.stac_item_ids[0]}/tilejson.json`, headers: as.reviewer });
    assert.equal(tiles.statusCode, 404, 'no tiles are served any more');
    assert.ok(await t.runtime.store.head({ container: 'bronze-uploads', key: 'mosaic/tile-a.tif' }), 'the uploads are kept');
  } finally {
    await t.close();
  }
});

/** What is left of a raster collection: STAC items, metadata rows and blobs in silver-rasters. */
async function leftovers(t: TestApp, collectionId: string): Promise<{ items: number; metadataRows: number; blobs: string[] }> {
  const count = async (sql: string) => (await t.runtime.db.query<{ n: number }>(sql, [collectionId])).rows[0]!.n;
  const page = await t.runtime.store.list('silver-rasters', { prefix: `${collectionId}/` });
  return {
    items: await count('SELECT count(*)::int AS n FROM catalog.items WHERE collection = $1'),
    metadataRows: await count('SELECT count(*)::int AS n FROM app.raster_metadata WHERE collection_id = $1'),
    blobs: page.items.map((b) => b.key).sort(),
  };
}

test('a raster with output_tier all: one item per tier; unpublishing the approved release removes every tier', async () => {
  const t = await platformTestApp('lifecycle-tiers');
  const { as } = t;
  try {
    await t.uploadGeoTiff('tiers.tif', rgbImage(64, 48));
    const body = { dataset_id: 'tiered', resource_id: 'scene', container_name: 'bronze-uploads', file_name: 'tiers.tif', processing_options: { output_tier: 'all' } };
    const accepted = await t.app.inject({ method: 'POST', url: '/api/platform/submit', payload: body, headers: as.submitter });
    assert.equal(accepted.statusCode, 202, accepted.body);
    const requestId = accepted.json().request_id as string;
    await t.startWorker();
    const done = await waitForStatus(t, as.reader, requestId, processed);
    assert.equal(done.job_status, 'completed', JSON.stringify(done.error));
    const outputs = done.outputs as { stac_collection_id: string; stac_item_id: string; stac_item_ids: string[] };
    assert.deepEqual(outputs.stac_item_ids, [outputs.stac_item_id, `${outputs.stac_item_id}-visualization`, `${outputs.stac_item_id}-archive`]);
    const before = await leftovers(t, outputs.stac_collection_id);
    assert.deepEqual([before.items, before.metadataRows, before.blobs.length], [3, 3, 6]);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/platform/approve', payload: { request_id: requestId, reviewer: 'rita', clearance_state: 'ouo' }, headers: as.reviewer })).statusCode, 200);

    const post = (payload: object) => t.app.inject({ method: 'POST', url: '/api/platform/unpublish', payload, headers: as.submitter });
    const dry = await post({ request_id: requestId, dry_run: true });
    assert.deepEqual([dry.statusCode, dry.json().blocked, dry.json().would_delete.stac_item_ids], [200, true, outputs.stac_item_ids]);
    assert.equal(dry.json().would_delete.blob_paths.length, 6, 'three COGs and their thumbnails');
    assert.deepEqual((await post({ request_id: requestId })).json().error_type, 'ValidationError', 'an approved release needs force_approved');
    const gone = await post({ request_id: requestId, force_approved: true, reason: 'withdrawn' });
    assert.equal(gone.statusCode, 202, gone.body);
    assert.equal(await waitForJob(t, as.reviewer, gone.json().job_id), 'completed');
    assert.deepEqual(await leftovers(t, outputs.stac_collection_id), { items: 0, metadataRows: 0, blobs: [] });
    const after = await waitForStatus(t, as.reader, requestId, () => true);
    assert.equal((after.release as Record<string, unknown>).approval_state, 'revoked');
    assert.equal(after.services, null, 'an unpublished release has no services');
  } finally {
    await t.close();
  }
});
