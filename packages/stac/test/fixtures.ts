/**
 * A small catalog for the search tests, written through the repository:
 * - `land` (public): 30 items along the equator (lon i°), one per day from 2021-01-01, cloud cover 3·i %
 *   (missing on every 10th item), platform alpha/beta, instruments; items 28 and 29 are time ranges;
 * - `sea` (public): 5 items at lat 50 in 2022, one on the antimeridian;
 * - `secret` (served, OUO): 2 items; `pending` (not served): 1 item;
 * - in `land`, item `land-ouo` is OUO and `land-unserved` not served.
 */
import type { Db } from '@meridian/db';
import { createCollection, insertItems, type Classification } from '../src/index.ts';
import { collectionDoc, itemDoc } from './support.ts';

export const PUBLIC: Classification = { accessLevel: 'public', served: true };
export const OUO: Classification = { accessLevel: 'ouo', served: true };
export const UNSERVED: Classification = { accessLevel: 'public', served: false };

export const LAND_IDS = Array.from({ length: 30 }, (_, i) => `land-${String(i).padStart(2, '0')}`);
export const SEA_IDS = ['sea-0', 'sea-1', 'sea-2', 'sea-3', 'sea-antimeridian'];

function day(i: number): string {
  return new Date(Date.UTC(2021, 0, 1 + i)).toISOString();
}

export function landItem(i: number) {
  const properties: Record<string, unknown> = {
    platform: i % 2 === 0 ? 'alpha' : 'beta',
    instruments: i % 3 === 0 ? ['cam', 'lidar'] : ['cam'],
    title: `Land tile ${i}`,
  };
  if (i % 10 !== 0) properties['eo:cloud_cover'] = 3 * i;
  const ranged = i >= 28;
  const item = itemDoc(LAND_IDS[i]!, i, 0, ranged ? null : day(i), ranged ? { ...properties, start_datetime: day(i), end_datetime: day(i + 30) } : properties);
  return item;
}

export async function loadSearchFixtures(db: Db): Promise<void> {
  const summaries = { platform: ['alpha', 'beta'], 'eo:cloud_cover': { minimum: 0, maximum: 100 }, instruments: [['cam'], ['cam', 'lidar']] };
  await createCollection(db, collectionDoc('land', { summaries, keywords: ['terrain', 'optical'] }), PUBLIC);
  await createCollection(db, collectionDoc('sea', { title: 'Ocean tiles', extent: { spatial: { bbox: [[170, 45, -170, 55]] }, temporal: { interval: [['2022-01-01T00:00:00Z', null]] } } }), PUBLIC);
  await createCollection(db, collectionDoc('secret'), OUO);
  await createCollection(db, collectionDoc('pending'), UNSERVED);
  await db.transaction(async (tx) => {
    await insertItems(tx, 'land', LAND_IDS.map((_, i) => landItem(i)), PUBLIC);
    await insertItems(tx, 'land', [itemDoc('land-ouo', 5, 0, day(5))], OUO);
    await insertItems(tx, 'land', [itemDoc('land-unserved', 5, 0, day(5))], UNSERVED);
    await insertItems(tx, 'sea', [0, 1, 2, 3].map((i) => itemDoc(`sea-${i}`, i, 50, `2022-0${i + 1}-15T12:00:00Z`)), PUBLIC);
    await insertItems(tx, 'sea', [itemDoc('sea-antimeridian', 179.995, 50, '2022-06-01T00:00:00Z')], PUBLIC);
    await insertItems(tx, 'secret', [itemDoc('secret-0', 0, 0, day(0)), itemDoc('secret-1', 1, 0, day(1))], OUO);
    await insertItems(tx, 'pending', [itemDoc('pending-0', 0, 0, day(0))], UNSERVED);
  });
}
