import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { BlobStore, Zone } from '../src/index.ts';
import { accessTests } from './conformance/access.ts';
import { listingTests } from './conformance/listing.ts';
import { localFileTests } from './conformance/local-files.ts';
import { mutationTests } from './conformance/mutations.ts';
import { nameTests } from './conformance/names.ts';
import { objectTests } from './conformance/objects.ts';
import { rangeTests } from './conformance/ranges.ts';
import type { Conformance } from './conformance/support.ts';

/**
 * The one behavioural contract every BlobStore adapter must meet (its parts are in ./conformance/).
 * Each test writes to its own fresh container, so the suite can also run against a shared store.
 */
export function blobStoreConformance(name: string, makeStore: () => Promise<BlobStore>, cleanup?: () => Promise<void>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let store: BlobStore | undefined;
    const run = randomBytes(3).toString('hex');
    let containers = 0;
    const suite: Conformance = {
      get store(): BlobStore {
        if (store === undefined) throw new Error('the store under test is made in before(); use it inside tests');
        return store;
      },
      fresh: (zone: Zone = 'bronze') => `${zone}-t${run}-${++containers}`,
    };

    before(async () => {
      store = await makeStore();
    });
    after(async () => {
      await cleanup?.();
    });

    objectTests(suite);
    localFileTests(suite);
    rangeTests(suite);
    listingTests(suite);
    mutationTests(suite);
    nameTests(suite);
    accessTests(suite);
  });
}
