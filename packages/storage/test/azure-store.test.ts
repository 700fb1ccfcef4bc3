import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MeridianError } from '@meridian/core';
import { AzureBlobStore } from '../src/index.ts';
import { startAzurite, type Azurite } from '../testing/azurite.ts';
import { blobStoreConformance } from './conformance.ts';

// One emulator for the whole file: starting it is the slowest step here.
let azurite: Azurite;
before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite.stop();
});

blobStoreConformance('azure (Azurite)', async () => new AzureBlobStore(azurite));

describe('AzureBlobStore', () => {
  const isUnavailable = (error: unknown) => error instanceof MeridianError && error.code === 'STORAGE_UNAVAILABLE';

  it('reports wrong credentials as STORAGE_UNAVAILABLE, from check() and from operations', async () => {
    const store = new AzureBlobStore({ ...azurite, accountKey: Buffer.from('not the key').toString('base64') });
    await assert.rejects(store.check(), isUnavailable);
    await assert.rejects(store.put({ container: 'bronze-x', key: 'k' }, 'x'), isUnavailable);
    await assert.rejects(store.head({ container: 'bronze-x', key: 'k' }), isUnavailable);
  });

  it('lists only containers whose names the API accepts', async () => {
    const store = new AzureBlobStore(azurite);
    await store.put({ container: 'bronze-listed', key: 'k' }, 'x');
    // A container another tool made, outside our zones.
    const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
    const service = new BlobServiceClient(azurite.serviceUrl, new StorageSharedKeyCredential(azurite.account, azurite.accountKey));
    await service.getContainerClient('logs-of-another-tool').createIfNotExists();
    const names = await store.listContainers();
    assert.ok(names.includes('bronze-listed'));
    assert.ok(!names.includes('logs-of-another-tool'));
  });
});
