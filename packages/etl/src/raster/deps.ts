/**
 * What the raster task handlers are built from (the server passes its runtime).
 */
import type { Config } from '@meridian/config';
import type { Db } from '@meridian/db';
import type { BlobStore } from '@meridian/storage';

export interface RasterDeps {
  db: Db;
  store: BlobStore;
  config: Config;
}
