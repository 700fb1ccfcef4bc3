import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { before, describe, it } from 'node:test';
import type { BlobRef } from '../../src/index.ts';
import { rejectsWith, type Conformance } from './support.ts';

/** Byte ranges as HTTP defines them: inclusive ends, clipped at the blob, 416 past it. */
export function rangeTests(suite: Conformance): void {
  describe('ranges', () => {
    let ref: BlobRef;
    before(async () => {
      ref = { container: suite.fresh(), key: 'digits.txt' };
      await suite.store.put(ref, '0123456789', { contentType: 'text/plain' });
    });

    const cases = [
      { label: 'first byte', range: { start: 0, end: 0 }, bytes: '0', returned: { start: 0, end: 0 } },
      { label: 'middle bytes', range: { start: 4, end: 6 }, bytes: '456', returned: { start: 4, end: 6 } },
      { label: 'last byte', range: { start: 9, end: 9 }, bytes: '9', returned: { start: 9, end: 9 } },
      { label: 'open-ended', range: { start: 7 }, bytes: '789', returned: { start: 7, end: 9 } },
      { label: 'everything from 0', range: { start: 0 }, bytes: '0123456789', returned: { start: 0, end: 9 } },
      { label: 'an end past the blob, clipped', range: { start: 8, end: 100 }, bytes: '89', returned: { start: 8, end: 9 } },
    ];
    for (const { label, range, bytes, returned } of cases) {
      it(`get returns the ${label}`, async () => {
        const got = await suite.store.get(ref, range);
        assert.deepEqual(got.range, returned);
        assert.equal(got.info.size, 10, 'info describes the whole blob');
        assert.equal(await text(got.body), bytes);
      });
    }

    it('refuses unsatisfiable ranges with INVALID_RANGE and the size', async () => {
      const error = await rejectsWith(suite.store.get(ref, { start: 10 }), 'INVALID_RANGE');
      assert.equal(error.extra.size, 10);
      await rejectsWith(suite.store.get(ref, { start: 50, end: 60 }), 'INVALID_RANGE');
      await rejectsWith(suite.store.get(ref, { start: 5, end: 4 }), 'INVALID_RANGE');
      await rejectsWith(suite.store.get(ref, { start: -1 }), 'INVALID_RANGE');
      await rejectsWith(suite.store.get(ref, { start: 1.5 }), 'INVALID_RANGE');
    });

    it('refuses any range on an empty blob', async () => {
      const empty = { container: ref.container, key: 'empty' };
      await suite.store.put(empty, '');
      await rejectsWith(suite.store.get(empty, { start: 0 }), 'INVALID_RANGE');
      await rejectsWith(suite.store.get(empty, { start: 0, end: 5 }), 'INVALID_RANGE');
      await rejectsWith(suite.store.readRange(empty, 0, 1), 'INVALID_RANGE');
    });

    it('readRange reads exact slices and clips at the end', async () => {
      assert.equal((await suite.store.readRange(ref, 0, 4)).toString(), '0123');
      assert.equal((await suite.store.readRange(ref, 3, 1)).toString(), '3');
      assert.equal((await suite.store.readRange(ref, 8, 16)).toString(), '89');
      await rejectsWith(suite.store.readRange(ref, 10, 1), 'INVALID_RANGE');
      await rejectsWith(suite.store.readRange(ref, 0, 0), 'INVALID_RANGE');
      await rejectsWith(suite.store.readRange(ref, -1, 2), 'INVALID_RANGE');
    });
  });
}
