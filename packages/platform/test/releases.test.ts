import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMeridianError } from '@meridian/core';
import { isDbError } from '@meridian/db';
import { ProcessingWatch, assetId, requestId, review, status, submit, unpublish, resubmit } from '../src/index.ts';
import { harness, type Harness } from './harness.ts';

const actor = { dryRun: false, actor: 'tester' };
const base = { dataset_id: 'floods', resource_id: 'admin-areas', container_name: 'bronze-uploads', file_name: 'areas.geojson' };

async function rejects(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<Record<string, unknown>> {
  let extra: Record<string, unknown> = {};
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMeridianError(error), String(error));
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    extra = error.extra;
    return true;
  });
  return extra;
}

async function submitted(h: Harness, body: Record<string, unknown>): Promise<{ request_id: string; job_id: string }> {
  const response = await submit(h.ctx, body, actor);
  assert.equal(response.status, 202, JSON.stringify(response.body));
  return response.body as { request_id: string; job_id: string };
}

const TABLES = ['app.assets', 'app.releases', 'app.release_audit', 'app.jobs', 'app.tasks'];
async function counts(h: Harness): Promise<number[]> {
  return Promise.all(TABLES.map((t) => h.count(t)));
}

test('submit → status 202 → completed → approve → versions; duplicates, overwrite and lineage rules', async () => {
  const h = await harness();
  try {
    const before = await counts(h);
    const dry = await submit(h.ctx, base, { dryRun: true, actor: 'tester' });
    assert.equal(dry.status, 200);
    assert.deepEqual(dry.body, {
      success: true, valid: true, dry_run: true, request_id: requestId('floods', 'admin-areas', null), asset_id: assetId('ddh', 'floods', 'admin-areas'),
      data_type: 'vector', would_create_job_type: 'process_vector', lineage: { latest_version_id: null, next_ordinal: 1, action: 'create' }, warnings: [],
    });
    assert.deepEqual(await counts(h), before, 'a dry run writes nothing');

    const first = await submit(h.ctx, base, actor);
    assert.equal(first.status, 202);
    assert.deepEqual(Object.keys(first.body).sort(), ['job_id', 'job_type', 'message', 'monitor_url', 'request_id', 'success']);
    assert.equal(first.body.monitor_url, `https://meridian.example.test/api/platform/status/${first.body.request_id}`);

    const pending = await status(h.ctx, first.body.request_id as string);
    assert.equal(pending.status, 202);
    assert.equal(pending.retryAfter, 5);
    assert.deepEqual(Object.keys(pending.body).sort(), ['approval', 'asset', 'error', 'job', 'job_status', 'outputs', 'progress', 'release', 'request_id', 'services', 'success', 'versions', 'warnings']);
    assert.equal(pending.body.job_status, 'queued');
    assert.equal((pending.body.progress as Record<string, unknown>).total_stages, 1);
    assert.equal(pending.body.outputs, null);

    const dup = await rejects(submit(h.ctx, base, actor), 'RELEASE_EXISTS');
    assert.deepEqual(Object.keys(dup.existing_release as object).sort(), ['approval_state', 'monitor_url', 'processing_status', 'release_id', 'version_id', 'version_ordinal']);
    await rejects(submit(h.ctx, { ...base, processing_options: { overwrite: true } }, actor), 'RELEASE_STATE_INVALID', /still processing/);
    await rejects(review(h.ctx, 'approve', { request_id: first.body.request_id, reviewer: 'rita', clearance_state: 'ouo' }), 'RELEASE_TRANSITION_INVALID', /processing_status 'pending'.*'completed'/);

    await h.finish(first.body.job_id as string);
    const done = await status(h.ctx, first.body.job_id as string);
    assert.equal(done.status, 200);
    assert.equal(done.retryAfter, null);
    const release = done.body.release as Record<string, unknown>;
    assert.deepEqual({ ...release, release_id: undefined }, { release_id: undefined, version_id: null, version_ordinal: 1, revision: 1, processing_status: 'completed', approval_state: 'pending_review', clearance_state: 'uncleared' });
    assert.deepEqual(done.body.outputs, { stac_item_id: 'floods-admin-areas-ord1', stac_collection_id: 'system-vectors', blob_path: null, table_name: 'floods_admin_areas_ord1', table_names: ['floods_admin_areas_ord1'], schema: 'geo' });
    assert.equal((done.body.services as Record<string, string>).service_url, 'https://meridian.example.test/api/features/collections/floods_admin_areas_ord1');
    assert.equal((done.body.approval as Record<string, string>).approve_url, 'https://meridian.example.test/api/platform/approve');
    assert.equal(h.events.filter((e) => e.type === 'job.completed').length, 1);
    // The same status again does not emit the event twice.
    await status(h.ctx, first.body.request_id as string);
    assert.equal(h.events.filter((e) => e.type === 'job.completed').length, 1);

    const asset = assetId('ddh', 'floods', 'admin-areas');
    assert.equal((await status(h.ctx, asset)).body.request_id, first.body.request_id, 'an asset id resolves');
    await rejects(status(h.ctx, 'f'.repeat(32)), 'RELEASE_NOT_FOUND');

    const dryApprove = await review(h.ctx, 'approve', { asset_id: asset, reviewer: 'rita', clearance_state: 'public', dry_run: true });
    assert.deepEqual(dryApprove.body, { success: true, dry_run: true, release_id: release.release_id, current_state: 'pending_review', would_transition_to: 'approved', blocked: false, blocked_reason: null });
    await rejects(review(h.ctx, 'approve', { asset_id: asset, reviewer: 'rita', clearance_state: 'secret' }), 'VALIDATION_ERROR', /clearance_state/);
    await rejects(review(h.ctx, 'approve', { asset_id: asset, clearance_state: 'ouo' }), 'VALIDATION_ERROR', /reviewer/);
    await rejects(review(h.ctx, 'approve', { reviewer: 'rita', clearance_state: 'ouo' }), 'VALIDATION_ERROR', /identify the release/);
    await rejects(review(h.ctx, 'approve', { release_id: 'a'.repeat(32), reviewer: 'rita', clearance_state: 'ouo' }), 'RELEASE_NOT_FOUND');
    await rejects(review(h.ctx, 'approve', { release_id: release.release_id, reviewer: 'rita', clearance: 'ouo' }), 'UNKNOWN_PARAMETER', /'clearance'.*clearance_state/);
    await rejects(review(h.ctx, 'revoke', { release_id: release.release_id, reviewer: 'rita', reason: 'x' }), 'RELEASE_TRANSITION_INVALID', /'pending_review'; revoke needs approval_state 'approved'/);
    await rejects(review(h.ctx, 'reject', { release_id: release.release_id, reviewer: 'rita', reason: '  ' }), 'VALIDATION_ERROR', /reason/);
    assert.deepEqual(h.serving, []);

    const approved = await review(h.ctx, 'approve', { dataset_id: 'floods', resource_id: 'admin-areas', reviewer: 'rita', access_level: 'OUO', notes: 'fine' });
    assert.equal(approved.status, 200);
    assert.deepEqual({ ...approved.body, message: undefined }, {
      success: true, release_id: release.release_id, asset_id: asset, approval_state: 'approved', clearance_state: 'ouo', version_id: 'v1',
      stac_item_id: 'floods-admin-areas-ord1', stac_collection_id: 'system-vectors', action: 'approved', message: undefined,
    });
    assert.deepEqual(h.serving, [['serve', release.release_id as string, 'ouo']]);
    await rejects(review(h.ctx, 'approve', { release_id: release.release_id, reviewer: 'rita', clearance_state: 'ouo' }), 'RELEASE_TRANSITION_INVALID', /'approved'; approve needs approval_state 'pending_review'/);
    await rejects(submit(h.ctx, { ...base, processing_options: { overwrite: true } }, actor), 'RELEASE_STATE_INVALID', /approved and cannot be overwritten/);

    // A new version needs previous_version_id = the latest approved version.
    const v2 = { ...base, version_id: 'v2' };
    await rejects(submit(h.ctx, v2, actor), 'VALIDATION_ERROR', /^Version 'v1' already exists.*specify previous_version_id='v1'/);
    await rejects(submit(h.ctx, { ...v2, previous_version_id: 'v0' }, actor), 'VALIDATION_ERROR', /^previous_version_id='v0' does not match current latest version 'v1'/);
    const dryV2 = await submit(h.ctx, { ...v2, previous_version_id: 'v1' }, { dryRun: true, actor: 'tester' });
    assert.deepEqual(dryV2.body.lineage, { latest_version_id: 'v1', next_ordinal: 2, action: 'new_version' });
    const second = await submitted(h, { ...v2, previous_version_id: 'v1' });
    await h.finish(second.job_id);
    const v2Status = await status(h.ctx, second.request_id);
    assert.equal((v2Status.body.outputs as Record<string, unknown>).table_name, 'floods_admin_areas_v2');
    assert.deepEqual((v2Status.body.versions as Record<string, unknown>[]).map((v) => [v.version_ordinal, v.approval_state]), [[2, 'pending_review'], [1, 'approved']]);
    assert.equal((v2Status.body.asset as Record<string, unknown>).release_count, 2);

    // Approving under a version another approved release holds is a VersionConflict.
    const v1again = await submitted(h, { ...base, version_id: 'v1', previous_version_id: 'v1' });
    await h.finish(v1again.job_id);
    await rejects(review(h.ctx, 'approve', { request_id: v1again.request_id, reviewer: 'rita', clearance_state: 'ouo' }), 'VERSION_CONFLICT');
    const blocked = await review(h.ctx, 'approve', { request_id: v1again.request_id, reviewer: 'rita', clearance_state: 'ouo', dry_run: true });
    assert.equal(blocked.body.blocked, true);

    // Reject → overwrite (revision 2) → approve.
    await review(h.ctx, 'reject', { request_id: second.request_id, reviewer: 'rita', reason: 'wrong projection' });
    await rejects(review(h.ctx, 'reject', { request_id: second.request_id, reviewer: 'rita', reason: 'again' }), 'RELEASE_TRANSITION_INVALID');
    const dryOverwrite = await submit(h.ctx, { ...v2, previous_version_id: 'v1', processing_options: { overwrite: true } }, { dryRun: true, actor: 'tester' });
    assert.equal((dryOverwrite.body.lineage as Record<string, unknown>).action, 'overwrite');
    const revised = await submitted(h, { ...v2, previous_version_id: 'v1', processing_options: { overwrite: true } });
    await h.finish(revised.job_id);
    const revisedStatus = await status(h.ctx, revised.request_id);
    assert.deepEqual([(revisedStatus.body.release as Record<string, unknown>).revision, (revisedStatus.body.release as Record<string, unknown>).approval_state], [2, 'pending_review']);
    assert.equal((revisedStatus.body.versions as Record<string, unknown>[])[1]!.rejection_reason, null, 'the revision cleared the rejection');
    const approvedV2 = await review(h.ctx, 'approve', { request_id: revised.request_id, reviewer: 'rita', clearance_state: 'public' });
    assert.equal(approvedV2.body.version_id, 'v2');

    // Revoke, then unpublish (dry run, force for approved, idempotent).
    await rejects(review(h.ctx, 'revoke', { request_id: revised.request_id, reviewer: 'rita' }), 'VALIDATION_ERROR', /reason/);
    await review(h.ctx, 'revoke', { request_id: revised.request_id, reviewer: 'rita', reason: 'superseded' });
    assert.deepEqual(h.serving.at(-1), ['unserve', approvedV2.body.release_id as string]);
    const before2 = await counts(h);
    const dryUnpublish = await unpublish(h.ctx, { request_id: first.body.request_id, dry_run: true }, 'tester');
    assert.deepEqual(dryUnpublish.body.would_delete, { table_names: ['floods_admin_areas_ord1'], schema: 'geo', stac_item_id: 'floods-admin-areas-ord1', stac_collection_id: 'system-vectors', cached_tiles: true });
    assert.deepEqual(await counts(h), before2, 'a dry unpublish writes nothing');
    await rejects(unpublish(h.ctx, { request_id: first.body.request_id }, 'tester'), 'VALIDATION_ERROR', /force_approved/);
    const gone = await unpublish(h.ctx, { request_id: first.body.request_id, force_approved: true }, 'tester');
    assert.equal(gone.status, 202);
    assert.equal(gone.body.job_type, 'unpublish_vector');
    const again = await unpublish(h.ctx, { request_id: first.body.request_id, force_approved: true }, 'tester');
    assert.deepEqual([again.status, again.body.job_id], [200, gone.body.job_id]);
    const afterUnpublish = await status(h.ctx, first.body.request_id as string);
    assert.equal((afterUnpublish.body.release as Record<string, unknown>).approval_state, 'revoked');
    await rejects(unpublish(h.ctx, { dataset_id: 'nope', resource_id: 'nothing' }, 'tester'), 'RELEASE_NOT_FOUND');

    // The audit log has every transition and cannot be changed.
    const { rows } = await h.testDb.db.query<{ action: string }>('SELECT action FROM app.release_audit ORDER BY audit_id');
    assert.deepEqual(rows.map((r) => r.action), ['submitted', 'approved', 'submitted', 'submitted', 'rejected', 'overwritten', 'approved', 'revoked', 'unpublished']);
    await assert.rejects(h.testDb.db.query('UPDATE app.release_audit SET actor = $1', ['mallory']), (e: unknown) => isDbError(e) && /append-only/.test(e.message));
    await assert.rejects(h.testDb.db.query('DELETE FROM app.release_audit'), (e: unknown) => isDbError(e) && /append-only/.test(e.message));
  } finally {
    await h.close();
  }
});

test('failed jobs: status error from the catalog, resubmit rules, previous_version_id without a version', async () => {
  const h = await harness();
  try {
    await rejects(submit(h.ctx, { ...base, previous_version_id: 'v1' }, actor), 'VALIDATION_ERROR', /no approved version yet/);
    const failing = await submitted(h, { ...base, file_name: 'missing.geojson' });
    // No worker has run yet, so the job is certainly still queued.
    await rejects(resubmit(h.ctx, { request_id: failing.request_id }), 'JOB_IN_PROGRESS');
    await h.finish(failing.job_id);
    const failed = await status(h.ctx, failing.request_id);
    assert.equal(failed.status, 200);
    assert.equal(failed.body.job_status, 'failed');
    assert.deepEqual(Object.keys(failed.body.error as object).sort(), ['category', 'code', 'message', 'remediation', 'user_fixable']);
    assert.equal((failed.body.error as Record<string, unknown>).code, 'FILE_NOT_FOUND');
    assert.equal(failed.body.services, null);
    assert.equal(h.events.filter((e) => e.type === 'job.failed').length, 1);

    const again = await resubmit(h.ctx, { request_id: failing.request_id });
    assert.equal(again.status, 202);
    await h.finish(failing.job_id);
    // A failed release may be overwritten with a corrected file: same release, revision 2.
    const fixed = await submitted(h, { ...base, file_name: 'areas.geojson', processing_options: { overwrite: 'true' } });
    await h.finish(fixed.job_id);
    await rejects(resubmit(h.ctx, { request_id: fixed.request_id }), 'JOB_ALREADY_COMPLETED');
    assert.equal((await resubmit(h.ctx, { request_id: fixed.request_id, force: true })).status, 202);
    await rejects(submit(h.ctx, { ...base, file_name: 'x.tif' }, actor), 'VALIDATION_ERROR', /holds vector data/);
  } finally {
    await h.close();
  }
});

test('the processing watch settles releases and emits job events without anyone polling status', async () => {
  const h = await harness();
  try {
    const first = await submitted(h, base);
    const failing = await submitted(h, { ...base, resource_id: 'other', file_name: 'missing.geojson' });
    await h.finish(first.job_id);
    await h.finish(failing.job_id);
    const watch = new ProcessingWatch(h.ctx, 60_000, (error) => assert.fail(String(error)));
    await watch.sweep();
    await watch.sweep();
    assert.deepEqual(h.events.map((e) => e.type).sort(), ['job.completed', 'job.failed']);
    const { rows } = await h.testDb.db.query<{ processing_status: string }>('SELECT processing_status FROM app.releases ORDER BY processing_status');
    assert.deepEqual(rows.map((r) => r.processing_status), ['completed', 'failed']);
  } finally {
    await h.close();
  }
});
