/**
 * A test app with raster items: the tiles package's GDAL-made COGs uploaded to the app's BlobStore, and a
 * STAC collection with one item per COG (its data asset pointing at the storage API, as the raster ETL
 * writes it), so the raster routes resolve item → asset → blob for real.
 */
import { createReadStream } from 'node:fs';
import { createCollection, insertItems, storageHref, type Classification } from '@meridian/stac';
import { CogReader, CogSource } from '@meridian/tiles';
import { createCogFixtures, type CogFixture, type CogFixtures } from '../../../packages/tiles/test/cog-fixtures.ts';
import { createTestApp, type TestApp } from './support.ts';

export const COLLECTION = 'raster-test';
export const CONTAINER = 'silver-raster-test';
export const NAMES = ['dem', 'rgbJpeg', 'rgbDeflate', 'mosaicA', 'mosaicB'] as const;
export type FixtureName = (typeof NAMES)[number];

export interface RasterTestApp extends TestApp {
  fixtures: CogFixtures;
}

/** Item ids are the fixture names in kebab case (rgbJpeg → rgb-jpeg). */
export function itemId(name: FixtureName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

async function stacItem(app: TestApp, name: FixtureName, fixture: CogFixture) {
  const ref = { container: CONTAINER, key: `${itemId(name)}.tif` };
  await app.runtime.store.put(ref, createReadStream(fixture.path));
  const info = await new CogSource(await new CogReader(app.runtime.store).open(ref)).info();
  const [w, s, e, n] = info.bounds;
  return {
    type: 'Feature',
    stac_version: '1.1.0',
    id: itemId(name),
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
    bbox: info.bounds,
    properties: { datetime: `2024-01-0${NAMES.indexOf(name) + 1}T00:00:00Z` },
    links: [],
    assets: {
      data: { href: storageHref(app.runtime.config.publicUrl, ref.container, ref.key), type: 'image/tiff; application=geotiff; profile=cloud-optimized', roles: ['data'] },
    },
  };
}

export async function createRasterTestApp(options: { env?: Record<string, string>; classification?: Classification } = {}): Promise<RasterTestApp> {
  const fixtures = await createCogFixtures();
  const app = await createTestApp({ env: options.env });
  const classification = options.classification ?? { accessLevel: 'public', served: true };
  await createCollection(app.runtime.db, {
    type: 'Collection', stac_version: '1.1.0', id: COLLECTION, description: 'Raster test collection', license: 'CC-BY-4.0', links: [],
    extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [['2024-01-01T00:00:00Z', null]] } },
  }, classification);
  const items = [];
  for (const name of NAMES) items.push(await stacItem(app, name, fixtures[name]));
  await insertItems(app.runtime.db, COLLECTION, items, classification);
  return {
    ...app,
    fixtures,
    async close() {
      await app.close();
      await fixtures.cleanup();
    },
  };
}

export function itemPath(name: FixtureName): string {
  return `/api/raster/collections/${COLLECTION}/items/${itemId(name)}`;
}
