import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from '@meridian/db';
import {
  MAX_VERSIONS_PER_ASSET, applyReview, assetId, insertAsset, insertRelease, markUnpublished, releaseId, requestId,
  setProcessingStatus, stacItemId, tableName, type ApprovalState, type ClearanceState,
} from '@meridian/platform';
import { oidcEnv, signingKey, token, writeJwksFile, type SigningKey } from './auth-keys.ts';
import { createTestApp, type TestApp } from './support.ts';

/**
 * GET /api/catalog/versions: who sees which release of a collection's datasets (anonymous: approved
 * public; readers and submitters: approved public and OUO; reviewers: everything), what is hidden being
 * simply absent. Releases are written with the platform's own release store, as the platform API does.
 */

/** What became of a release: `revoked` is approved, then unpublished. */
type Outcome = { approval: ApprovalState; clearance?: ClearanceState; processing?: 'completed' | 'failed' };

async function seedAsset(db: Queryable, dataset: string, dataType: 'raster' | 'vector', collection: string, outcomes: Outcome[]): Promise<string> {
  const asset = assetId('ddh', dataset, 'res');
  await insertAsset(db, { asset_id: asset, client_id: 'ddh', dataset_id: dataset, resource_id: 'res', data_type: dataType });
  for (const [index, outcome] of outcomes.entries()) {
    const ordinal = index + 1;
    const versionId = `v${ordinal}`;
    const parts = { datasetId: dataset, resourceId: 'res', versionId, ordinal };
    const id = releaseId(asset, ordinal);
    await insertRelease(db, {
      release_id: id, asset_id: asset, request_id: requestId(dataset, 'res', versionId), ordinal, version_id: versionId,
      previous_version_id: null, job_id: `job-${dataset}-${ordinal}`, job_type: dataType === 'raster' ? 'process_raster' : 'process_vector',
      app_version: 'test', source_file_hash: null, source: { container_name: 'bronze-uploads', file_name: ['in'], source_url: null },
      submission: {}, requested_access: 'ouo',
      outputs: dataType === 'raster'
        ? { stac_item_id: stacItemId(parts), stac_collection_id: collection, blob_path: null, table_name: null, table_names: null, schema: null }
        : { stac_item_id: stacItemId(parts), stac_collection_id: collection, blob_path: null, table_name: tableName(parts), table_names: [tableName(parts)], schema: 'geo' },
    });
    await setProcessingStatus(db, id, outcome.processing ?? 'completed');
    if (outcome.approval !== 'pending_review') {
      await applyReview(db, id, {
        approval_state: outcome.approval === 'revoked' ? 'approved' : outcome.approval, reviewer: 'rita',
        ...(outcome.clearance ? { clearance_state: outcome.clearance } : {}), ...(outcome.approval === 'rejected' ? { rejection_reason: 'blurry' } : {}),
      });
    }
    if (outcome.approval === 'revoked') await markUnpublished(db, id, `unpublish-${dataset}-${ordinal}`);
  }
  return asset;
}

/** A raster dataset with one release in each state, a dataset that is only pending, a dataset elsewhere. */
async function seed(db: Queryable): Promise<{ scene: string; draft: string }> {
  const scene = await seedAsset(db, 'scene', 'raster', 'land-scene', [
    { approval: 'approved', clearance: 'public' },
    { approval: 'approved', clearance: 'ouo' },
    { approval: 'revoked', clearance: 'public' },
    { approval: 'rejected' },
    { approval: 'pending_review' },
    { approval: 'pending_review', processing: 'failed' },
  ]);
  const draft = await seedAsset(db, 'draft', 'raster', 'land-scene', [{ approval: 'pending_review' }]);
  await seedAsset(db, 'elsewhere', 'raster', 'other', [{ approval: 'approved', clearance: 'public' }]);
  return { scene, draft };
}

interface Page {
  collection_id: string;
  next_offset: number | null;
  assets: { asset: { asset_id: string; dataset_id: string; release_count: number }; versions: Record<string, unknown>[] }[];
}

const versionsUrl = (collection: string, extra = '') => `/api/catalog/versions?collection_id=${collection}${extra}`;

describe('dataset versions by caller (MERIDIAN_AUTH=oidc)', () => {
  let t: TestApp;
  let key: SigningKey;
  let dir: string;
  let ids: { scene: string; draft: string };
  const headers = async (roles: string[] | null): Promise<Record<string, string>> =>
    roles === null ? {} : { authorization: `Bearer ${await token(key, { roles })}` };
  const list = async (roles: string[] | null, url = versionsUrl('land-scene')): Promise<Page> => {
    const response = await t.app.inject({ url, headers: await headers(roles) });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    return response.json();
  };
  /** Each listed asset's dataset and the ordinals and approval states of its releases, newest first. */
  const summary = (page: Page) => page.assets.map(({ asset, versions }) => [asset.dataset_id, asset.release_count, versions.map((v) => `${v.version_ordinal}:${v.approval_state}`)]);

  before(async () => {
    key = await signingKey('versions');
    dir = await mkdtemp(join(tmpdir(), 'meridian-versions-oidc-'));
    t = await createTestApp({ env: oidcEnv(await writeJwksFile(dir, [key])) });
    ids = await seed(t.runtime.db);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('anonymous callers see approved public releases only', async () => {
    const page = await list(null);
    assert.deepEqual(summary(page), [['scene', 1, ['1:approved']]]);
    const [version] = page.assets[0]!.versions;
    assert.equal(version!.clearance_state, 'public');
    assert.deepEqual([version!.job_id, version!.reviewer, version!.rejection_reason], [null, null, null], 'review details are for reviewers');
    assert.match(String(version!.reviewed_at), /^\d{4}-\d\d-\d\dT/);
    const services = version!.services as Record<string, string>;
    assert.match(services.service_url!, /\/api\/raster\/collections\/land-scene\/items\/scene-res-v1\/tilejson\.json$/);
    assert.match(services.stac_item!, /\/api\/stac\/collections\/land-scene\/items\/scene-res-v1$/);
  });

  for (const roles of [['reader'], ['submitter']]) {
    it(`a ${roles[0]} also sees approved OUO releases, not pending, rejected or revoked ones`, async () => {
      const page = await list(roles);
      assert.deepEqual(summary(page), [['scene', 2, ['2:approved', '1:approved']]]);
      assert.deepEqual(page.assets[0]!.versions.map((v) => v.clearance_state), ['ouo', 'public']);
      assert.ok(page.assets[0]!.versions.every((v) => v.job_id === null && v.reviewer === null));
    });
  }

  it('a reviewer sees every release, pending, rejected, revoked and failed included, with review details', async () => {
    const page = await list(['reviewer']);
    assert.deepEqual(summary(page), [
      ['draft', 1, ['1:pending_review']],
      ['scene', 6, ['6:pending_review', '5:pending_review', '4:rejected', '3:revoked', '2:approved', '1:approved']],
    ]);
    const scene = page.assets[1]!;
    assert.equal(scene.asset.asset_id, ids.scene);
    const byOrdinal = new Map(scene.versions.map((v) => [v.version_ordinal, v]));
    assert.deepEqual([byOrdinal.get(4)!.reviewer, byOrdinal.get(4)!.rejection_reason, byOrdinal.get(4)!.job_id], ['rita', 'blurry', 'job-scene-4']);
    assert.equal(byOrdinal.get(3)!.services, null, 'an unpublished release has no services');
    assert.equal(byOrdinal.get(6)!.services, null, 'a failed release has no services');
    assert.match(String((byOrdinal.get(5)!.services as Record<string, string>).viewer), /\/view\/raster\/land-scene\/scene-res-v5$/);
    assert.equal((await list(['admin'])).assets.length, 2, 'an admin sees what a reviewer sees');
  });

  it('never confirms what a caller may not see: an unknown or hidden collection is an empty list', async () => {
    for (const roles of [null, ['reader'], ['reviewer']]) {
      assert.deepEqual((await list(roles, versionsUrl('no-such-collection'))).assets, []);
    }
    const hidden = await list(null, versionsUrl('land-scene', '&offset=1'));
    assert.deepEqual([hidden.assets, hidden.next_offset], [[], null]);
    const other = await list(['reader'], versionsUrl('other'));
    assert.deepEqual(summary(other), [['elsewhere', 1, ['1:approved']]]);
  });

  it('pages by dataset and caps the releases listed per dataset', async () => {
    const first = await list(['reviewer'], versionsUrl('land-scene', '&limit=1'));
    assert.deepEqual([summary(first).map(([dataset]) => dataset), first.next_offset], [['draft'], 1]);
    const second = await list(['reviewer'], versionsUrl('land-scene', '&limit=1&offset=1'));
    assert.deepEqual([summary(second).map(([dataset]) => dataset), second.next_offset], [['scene'], null]);

    const outcomes: Outcome[] = Array.from({ length: MAX_VERSIONS_PER_ASSET + 2 }, () => ({ approval: 'pending_review' }));
    await seedAsset(t.runtime.db, 'many', 'vector', 'system-vectors', outcomes);
    const many = await list(['reviewer'], versionsUrl('system-vectors'));
    assert.equal(many.assets[0]!.asset.release_count, MAX_VERSIONS_PER_ASSET + 2);
    assert.equal(many.assets[0]!.versions.length, MAX_VERSIONS_PER_ASSET);
    assert.equal(many.assets[0]!.versions[0]!.version_ordinal, MAX_VERSIONS_PER_ASSET + 2, 'the newest first');
    assert.match(String((many.assets[0]!.versions[0]!.services as Record<string, string>).service_url), /\/api\/features\/collections\/many_res_v52$/);
    assert.deepEqual((await list(['reader'], versionsUrl('system-vectors'))).assets, []);
  });

  it('refuses a bad query and is described in the OpenAPI document', async () => {
    for (const query of ['', '?collection_id=', `?collection_id=${'x'.repeat(256)}`, '?collection_id=a&limit=0', '?collection_id=a&limit=101', '?collection_id=a&offset=-1']) {
      const response = await t.app.inject({ url: `/api/catalog/versions${query}` });
      assert.equal(response.statusCode, 400, query);
    }
    const injection = await list(['reviewer'], versionsUrl(encodeURIComponent("land-scene' OR '1'='1")));
    assert.deepEqual(injection.assets, []);
    const openapi = (await t.app.inject('/api/openapi.json')).json();
    assert.ok(openapi.paths['/api/catalog/versions'].get.responses['200']);
  });

  it('rejects a forged token instead of treating it as anonymous', async () => {
    const forged = await token(await signingKey('versions'), { roles: ['reviewer'] });
    const response = await t.app.inject({ url: versionsUrl('land-scene'), headers: { authorization: `Bearer ${forged}` } });
    assert.equal(response.statusCode, 401);
  });
});

describe('dataset versions by mode', () => {
  it('public mode lists approved public releases only, even to an administrator (MERIDIAN_AUTH=off)', async () => {
    const t = await createTestApp({ kind: 'pglite', mode: 'public' });
    try {
      await seed(t.runtime.db);
      const response = await t.app.inject(versionsUrl('land-scene'));
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json() as Page;
      assert.deepEqual(page.assets.map(({ asset, versions }) => [asset.dataset_id, versions.map((v) => v.version_ordinal)]), [['scene', [1]]]);
      assert.equal(page.assets[0]!.versions[0]!.job_id, null);
    } finally {
      await t.close();
    }
  });

  it('the gateway does not offer it; the full mode with MERIDIAN_AUTH=off shows everything', async () => {
    const gateway = await createTestApp({ mode: 'gateway' });
    try {
      assert.equal((await gateway.app.inject(versionsUrl('land-scene'))).statusCode, 404);
    } finally {
      await gateway.close();
    }
    const full = await createTestApp({ kind: 'pglite' });
    try {
      await seed(full.runtime.db);
      const page = (await full.app.inject(versionsUrl('land-scene'))).json() as Page;
      assert.deepEqual(page.assets.map(({ versions }) => versions.length), [1, 6]);
    } finally {
      await full.close();
    }
  });
});
