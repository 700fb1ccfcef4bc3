/** The shapes the STAC repository reads and writes. Documents stay plain JSON objects (STAC is open-ended). */

export type JsonObject = Record<string, unknown>;

/** A STAC Item as JSON (GeoJSON Feature with stac_version, id, properties, links, assets, ...). */
export type StacItem = JsonObject & { id: string; properties: JsonObject };

/** A STAC Collection as JSON. */
export type StacCollection = JsonObject & { id: string };

export type AccessLevel = 'public' | 'ouo';

/** Who is asking, as far as the catalog cares (the one rule shared by every surface, in @meridian/db). */
export type { Visibility } from '@meridian/db';

/** The classification written with a row; the platform's approval flow changes it later. */
export interface Classification {
  accessLevel: AccessLevel;
  served: boolean;
}

/** Rows loaded by an administrator (no release to approve) are served at once, as OUO unless said otherwise. */
export const ADMIN_CLASSIFICATION: Classification = { accessLevel: 'ouo', served: true };

/** An item as stored, with its classification. */
export interface StoredItem {
  item: StacItem;
  collection: string;
  accessLevel: AccessLevel;
  served: boolean;
}

/** A collection as stored, with its classification. */
export interface StoredCollection {
  collection: StacCollection;
  accessLevel: AccessLevel;
  served: boolean;
  updatedAt: Date;
}
