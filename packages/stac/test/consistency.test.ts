import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TEST_BACKENDS, createTestDb, type TestDb } from '@meridian/db/testing';
import { FileBlobStore, type BlobStore } from '@meridian/storage';
import {
  VECTOR_COLLECTION_ID, catalogConsistencyJob, consistencySources, createCollection, featuresCollectionHref, getItem, insertItems,
  latestConsistencyReport, runConsistencyCheck, storageHref, type CheckContext, type Finding, type RebuildRasterItem,
} from '../src/index.ts';
import { PUBLIC } from './fixtures.ts';
import { collectionDoc, itemDoc } from './support.ts';

const URL_BASE = 'http://meridian.test';
const quiet = { info() {}, warn() {} };

async function putBlob(store: BlobStore, container: string, key: string): Promise<void> {
  await store.put({ container, key }, Readable.from([Buffer.from('data')]));
}

/** The smallest app.raster_metadata row the table accepts. */
async function rasterRow(t: TestDb, collection: string, item: string, container: string, blobPath: string): Promise<void> {
  await t.db.query(
    `INSERT INTO app.raster_metadata (collection_id, item_id, tier, raster_type, container, blob_path, size_bytes, width, height,
       band_count, data_type, bands, crs_wkt2, geotransform, resolution, bbox_native, bbox_wgs84, footprint, overviews, compression,
       block_width, block_height, interleave, mask, datetime, datetime_source, source_container, source_blob, source_size_bytes, source_etag)
     VALUES ($1, $2, 'analysis', 'dem', $3, $4, 4, 1, 1, 1, 'Float32', '[]', 'WKT', '{0,1,0,0,0,-1}', '{1,1}', '{0,0,1,1}', '{0,0,1,1}',
       ST_MakeEnvelope(0, 0, 1, 1, 4326), '[]', 'DEFLATE', 512, 512, 'BAND', 'none', now(), 'ingest', 'bronze-in', 'x.tif', 4, 'e')`,
    [collection, item, container, blobPath],
  );
}

function kinds(findings: Finding[]): string[] {
  return findings.map((f) => `${f.kind} ${f.subject}${f.repaired ? ` → ${f.repaired}` : ''}`).sort();
}

for (const kind of TEST_BACKENDS) {
  describe(`catalog consistency check (${kind})`, () => {
    let t: TestDb;
    let home: string;
    let store: BlobStore;
    const context = (repair: boolean): CheckContext => ({ db: t.db, store, publicUrl: URL_BASE, repair, log: quiet });

    before(async () => {
      t = await createTestDb(kind);
      home = await mkdtemp(join(tmpdir(), 'meridian-consistency-'));
      store = new FileBlobStore(home);
      // Vector: a published table with a catalog row but no item, a catalog row whose table is gone, a table
      // without a catalog row, and an item pointing at a table that does not exist.
      await t.db.execScript(`
        CREATE TABLE geo.roads (id integer PRIMARY KEY, geom geometry(LineString, 4326));
        CREATE TABLE geo.stray (id integer PRIMARY KEY, geom geometry(Point, 4326));
        INSERT INTO geo.table_catalog (table_name, title, geometry_type, bbox, feature_count, access_level, served)
          VALUES ('roads', 'Roads', 'LineString', '{1,2,3,4}', 0, 'ouo', true), ('vanished', 'Gone', 'Point', NULL, 0, 'public', true);`);
      await createCollection(t.db, collectionDoc('rasters'), PUBLIC);
      await createCollection(t.db, collectionDoc('vectors'), PUBLIC);
      const withAssets = (id: string, assets: Record<string, unknown>) => ({ ...itemDoc(id, 0, 0, '2021-01-01T00:00:00Z'), assets });
      await putBlob(store, 'silver-cogs', 'ok/cog.tif');
      await putBlob(store, 'silver-cogs', 'thumbless/cog.tif');
      await putBlob(store, 'silver-cogs', 'no-item/cog.tif');
      await t.db.transaction(async (tx) => {
        await insertItems(tx, 'vectors', [{
          ...itemDoc('ghost-table', 0, 0, '2021-01-01T00:00:00Z'),
          links: [{ rel: 'describedby', href: featuresCollectionHref(URL_BASE, 'ghost_table') }],
        }], PUBLIC);
        await insertItems(tx, 'rasters', [
          withAssets('ok', { data: { href: storageHref(URL_BASE, 'silver-cogs', 'ok/cog.tif'), roles: ['data'] } }),
          withAssets('gone', { data: { href: storageHref(URL_BASE, 'silver-cogs', 'gone/cog.tif'), roles: ['data'] } }),
          withAssets('thumbless', {
            data: { href: storageHref('http://old-host:8080', 'silver-cogs', 'thumbless/cog.tif'), roles: ['data'] },
            thumbnail: { href: storageHref(URL_BASE, 'silver-cogs', 'thumbless/thumb.png'), roles: ['thumbnail'] },
          }),
          withAssets('external', { data: { href: 'https://elsewhere.example/cog.tif', roles: ['data'] } }),
        ], PUBLIC);
      });
      // Raster: metadata rows with and without their COG and STAC item.
      await rasterRow(t, 'rasters', 'ok', 'silver-cogs', 'ok/cog.tif');
      await rasterRow(t, 'rasters', 'no-item', 'silver-cogs', 'no-item/cog.tif');
      await rasterRow(t, 'rasters', 'gone', 'silver-cogs', 'gone/cog.tif');
    });
    after(async () => {
      await t.drop();
      await rm(home, { recursive: true, force: true });
    });

    it('reports orphans in each direction without changing anything', async () => {
      const report = await runConsistencyCheck(context(false), consistencySources());
      assert.deepEqual(kinds(report.findings), [
        'catalog_row_without_table vanished',
        'raster_metadata_blob_missing rasters/gone',
        'raster_without_stac_item rasters/no-item',
        'stac_item_asset_missing rasters/thumbless',
        'stac_item_data_missing rasters/gone',
        'stac_item_without_table vectors/ghost-table',
        'table_without_catalog_row stray',
        'table_without_stac_item roads',
      ]);
      assert.deepEqual(report.totals, { findings: 8, repaired: 0 });
      assert.deepEqual(report.sources.vector, { checked: 4, findings: 4, repaired: 0 });
      assert.ok(await getItem(t.db, 'rasters', 'gone', 'reviewer'));
      assert.equal((await latestConsistencyReport(t.db))!.reportId, report.reportId);
    });

    it('repairs: rebuilds missing items from metadata and removes items whose data is gone', async () => {
      const rebuildRasterItem: RebuildRasterItem = async (_db, collectionId, itemId, publicUrl) => ({
        item: { ...itemDoc(itemId, 0, 0, '2021-01-01T00:00:00Z'), assets: { data: { href: storageHref(publicUrl, 'silver-cogs', `${itemId}/cog.tif`), roles: ['data'] } } },
        classification: PUBLIC,
      });
      const report = await runConsistencyCheck(context(true), consistencySources({ rebuildRasterItem }));
      assert.deepEqual(kinds(report.findings).filter((k) => k.includes('→')), [
        'raster_without_stac_item rasters/no-item → item_created',
        'stac_item_data_missing rasters/gone → item_deleted',
        'stac_item_without_table vectors/ghost-table → item_deleted',
        'table_without_stac_item roads → item_created',
      ]);
      assert.equal(await getItem(t.db, 'rasters', 'gone', 'reviewer'), undefined);
      assert.equal(await getItem(t.db, 'vectors', 'ghost-table', 'reviewer'), undefined);
      assert.ok(await getItem(t.db, 'rasters', 'no-item', 'reviewer'));
      const roads = (await getItem(t.db, VECTOR_COLLECTION_ID, 'roads', 'reviewer'))!;
      assert.equal(roads.accessLevel, 'ouo', 'the rebuilt item takes the table\'s classification');
      assert.equal((roads.item.assets as Record<string, { href: string }>).data!.href, `${URL_BASE}/api/features/collections/roads/items`);
      // After the repair only what needs a person is left.
      const after = await runConsistencyCheck(context(false), consistencySources());
      assert.deepEqual(kinds(after.findings), [
        'catalog_row_without_table vanished',
        'raster_metadata_blob_missing rasters/gone',
        'stac_item_asset_missing rasters/thumbless',
        'table_without_catalog_row stray',
      ]);
    });

    it('declares a job type whose runs are keyed by the period they cover', () => {
      assert.equal(catalogConsistencyJob.name, 'catalog_consistency_check');
      assert.deepEqual(Object.keys(catalogConsistencyJob.parameters.properties).sort(), ['repair', 'scheduled_for']);
    });
  });
}
