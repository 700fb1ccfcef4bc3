/**
 * The raster jobs through the real job engine (JobService + Worker on PostgreSQL): process_raster end to
 * end, a permanent input error failing the job at once, process_raster_collection over a prefix with a
 * stable mosaic search id, adding to an existing collection (collection_must_exist), unpublish_raster
 * (dry run, then for real), and cancellation of a running job.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getCollection, getItem, getRegisteredSearch, validateStac } from '@meridian/stac';
import { rebuildRasterItem } from '../src/raster/rebuild-item.ts';
import type { ProcessRasterResult } from '../src/raster/process-raster-task.ts';
import type { CollectionResult } from '../src/raster/collection-tasks.ts';
import type { UnpublishResult } from '../src/raster/unpublish-task.ts';
import { getRasterMetadata, getRasterMetadataMany, listRasterMetadata } from '../src/raster/metadata-repository.ts';
import { BRONZE, SILVER, allKeys, rasterTestEnv, upload, type RasterTestEnv } from './raster-support.ts';
import { startRasterEngine, type RasterEngine } from './raster-engine.ts';

describe('raster jobs on the job engine', () => {
  let t: RasterTestEnv;
  let engine: RasterEngine;
  before(async () => {
    t = await rasterTestEnv();
    engine = await startRasterEngine(t.deps);
    const f = t.fixtures;
    await Promise.all([
      upload(t.store, f.rgb, 'single/rgb.tif'),
      upload(t.store, f.truncated, 'single/broken.tif'),
      upload(t.store, f.demUtm, 'tiles/north.tif'),
      upload(t.store, f.multispectralInt16, 'tiles/south.tif'),
      upload(t.store, f.garbage, 'tiles/broken.tif'),
      upload(t.store, f.categorical, 'later/east.tif'),
    ]);
  });
  after(async () => {
    await engine.stop();
    await t.close();
  });

  it('process_raster: the job result lists the outputs and the STAC ids', async () => {
    const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: 'single/rgb.tif', collection_id: 'imagery', title: 'Nairobi' });
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const result = job.result as ProcessRasterResult;
    assert.equal(result.collection_id, 'imagery');
    assert.equal(result.stac_item_id, 'rgb');
    assert.deepEqual(result.outputs.map((o) => [o.tier, o.container, o.item_id]), [['analysis', SILVER, 'rgb']]);
    assert.ok((await allKeys(t.store, SILVER)).includes(result.outputs[0]!.blob_path));
    assert.ok(await getItem(t.testDb.db, 'imagery', 'rgb', 'reviewer'));
    assert.equal((await getRasterMetadata(t.testDb.db, 'imagery', 'rgb'))?.jobId, job.job_id);
  });

  it('the consistency check can rebuild a lost STAC item from the metadata row', async () => {
    const before = (await getItem(t.testDb.db, 'imagery', 'rgb', 'reviewer'))!;
    const rebuilt = await rebuildRasterItem(t.testDb.db, 'imagery', 'rgb', 'http://meridian.test');
    assert.ok(rebuilt);
    validateStac('item', rebuilt.item);
    assert.deepEqual(rebuilt.item.assets, before.item.assets);
    assert.deepEqual(rebuilt.classification, { accessLevel: before.accessLevel, served: before.served });
    assert.equal(await rebuildRasterItem(t.testDb.db, 'imagery', 'nothing', 'http://meridian.test'), undefined);
  });

  it('a broken file fails the job at once with its code (no retries)', async () => {
    const job = await engine.runJob('process_raster', { container_name: BRONZE, blob_name: 'single/broken.tif' });
    assert.equal(job.status, 'failed');
    assert.equal((job.error as { code: string }).code, 'CORRUPTED_FILE');
    const { tasks } = await engine.service.tasks(job.job_id, { limit: 10, offset: 0 });
    assert.deepEqual(tasks.map((task) => task.attempt), [1]);
  });

  it('process_raster_collection: one task per file, a bad file does not sink the rest, a stable search id', async () => {
    const job = await engine.runJob('process_raster_collection', { container_name: BRONZE, prefix: 'tiles/', collection_id: 'regional-tiles' });
    assert.equal(job.status, 'completed_with_errors');
    const result = job.result as CollectionResult;
    assert.equal(result.files_processed, 2);
    assert.deepEqual(result.item_ids.sort(), ['north', 'south']);
    // SHA-256 of the stored request {"collections":["regional-tiles"]}, written out here (sha256sum) so any
    // change of the derivation fails this test: the mosaic's URL must survive upgrades.
    assert.equal(result.search_id, '01a372997250206eae3ce853db8c0c36');
    assert.deepEqual((await getRegisteredSearch(t.testDb.db, result.search_id))?.request, { collections: ['regional-tiles'] });
    assert.equal(result.mosaic_tilejson, `http://meridian.test/api/raster/searches/${result.search_id}/tilejson.json`);
    const { tasks } = await engine.service.tasks(job.job_id, { limit: 10, offset: 0 });
    assert.equal(tasks.filter((task) => task.task_type === 'raster_process').length, 3);
    const failed = tasks.find((task) => task.status === 'failed');
    assert.equal((failed?.error as { code: string } | null)?.code, 'CORRUPTED_FILE');

    // Adding a raster to the existing collection keeps the mosaic's id and widens the collection's extent.
    const before = (await getCollection(t.testDb.db, 'regional-tiles', 'reviewer'))!.collection.extent as { spatial: { bbox: number[][] } };
    const more = await engine.runJob('process_raster_collection', { container_name: BRONZE, blob_names: ['later/east.tif'], collection_id: 'regional-tiles', collection_must_exist: true });
    assert.equal(more.status, 'completed', JSON.stringify(more.error));
    assert.equal((more.result as CollectionResult).search_id, result.search_id);
    assert.deepEqual((await listRasterMetadata(t.testDb.db, 'regional-tiles')).map((m) => m.itemId), ['east', 'north', 'south']);
    const many = await getRasterMetadataMany(t.testDb.db, [{ collectionId: 'regional-tiles', itemId: 'north' }, { collectionId: 'regional-tiles', itemId: 'nope' }, { collectionId: 'imagery', itemId: 'rgb' }]);
    assert.deepEqual(many.map((m) => m.itemId).sort(), ['north', 'rgb']);
    const after = (await getCollection(t.testDb.db, 'regional-tiles', 'reviewer'))!.collection.extent as { spatial: { bbox: number[][] } };
    assert.ok(after.spatial.bbox[0]![0]! < before.spatial.bbox[0]![0]!, 'the extent grew west to the new raster');
  });

  it('item_id_prefix: two versions of one collection from the same files coexist, each with its own mosaic', async () => {
    const run = (prefix: string) => engine.runJob('process_raster_collection', { container_name: BRONZE, blob_names: ['later/east.tif'], collection_id: 'versioned-tiles', item_id_prefix: prefix });
    const [v1, v2] = [await run('floods-scenes-v1'), await run('floods-scenes-v2')];
    assert.equal(v1.status, 'completed', JSON.stringify(v1.error));
    assert.equal(v2.status, 'completed', JSON.stringify(v2.error));
    const [r1, r2] = [v1.result as CollectionResult, v2.result as CollectionResult];
    assert.deepEqual([r1.item_ids, r2.item_ids], [['floods-scenes-v1-east'], ['floods-scenes-v2-east']]);
    assert.notEqual(r1.search_id, r2.search_id);
    assert.deepEqual((await getRegisteredSearch(t.testDb.db, r2.search_id))?.request, { collections: ['versioned-tiles'], ids: ['floods-scenes-v2-east'] });
    assert.deepEqual((await listRasterMetadata(t.testDb.db, 'versioned-tiles')).map((m) => m.itemId), ['floods-scenes-v1-east', 'floods-scenes-v2-east']);
  });

  it('collection_must_exist refuses a collection that does not exist', async () => {
    const job = await engine.runJob('process_raster_collection', { container_name: BRONZE, blob_names: ['later/east.tif'], collection_id: 'no-such-collection', collection_must_exist: true });
    assert.equal(job.status, 'failed');
    assert.equal((job.error as { code: string }).code, 'STAC_COLLECTION_NOT_FOUND');
  });

  it('unpublish_raster: a dry run lists, the real run deletes COGs, thumbnails, rows and items and shrinks the extent', async () => {
    const dry = await engine.runJob('unpublish_raster', { collection_id: 'regional-tiles', item_id: 'east', dry_run: true });
    assert.equal(dry.status, 'completed');
    const inventory = (dry.result as UnpublishResult).would_delete!;
    assert.equal(inventory.items.length, 1);
    assert.equal(inventory.items[0]!.blobs.length, 2);
    assert.ok(await getRasterMetadata(t.testDb.db, 'regional-tiles', 'east'), 'a dry run deletes nothing');

    const real = await engine.runJob('unpublish_raster', { collection_id: 'regional-tiles', item_id: 'east' });
    assert.equal(real.status, 'completed', JSON.stringify(real.error));
    assert.equal(await getRasterMetadata(t.testDb.db, 'regional-tiles', 'east'), undefined);
    assert.equal(await getItem(t.testDb.db, 'regional-tiles', 'east', 'reviewer'), undefined);
    assert.ok(!(await allKeys(t.store, SILVER)).some((k) => k.startsWith('regional-tiles/east/')));
    assert.ok((await allKeys(t.store, BRONZE)).includes('later/east.tif'), 'the source upload stays');
    const extent = (await getCollection(t.testDb.db, 'regional-tiles', 'reviewer'))!.collection.extent as { spatial: { bbox: number[][] } };
    const north = (await getRasterMetadata(t.testDb.db, 'regional-tiles', 'north'))!;
    const south = (await getRasterMetadata(t.testDb.db, 'regional-tiles', 'south'))!;
    assert.ok(Math.abs(extent.spatial.bbox[0]![0]! - Math.min(north.bboxWgs84[0], south.bboxWgs84[0])) < 1e-9, 'the extent shrank back');

    const again = await engine.runJob('unpublish_raster', { collection_id: 'regional-tiles', item_id: 'gone' });
    assert.equal((again.error as { code: string }).code, 'RASTER_ITEM_NOT_FOUND');
  });
});
