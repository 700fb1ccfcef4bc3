/**
 * Resolves raster routes through the STAC catalog: an item → its COG asset (an href to the storage API,
 * see @meridian/stac hrefs; or the assets named by TiTiler's `assets`, stacked) → a BlobStore ref read
 * by the shared CogReader; a registered search → a
 * mosaic over the items it matches, fetched per read with a bounded scan. Only what the caller may see
 * is served: anything else is the same 404 as a missing item or search.
 */
import type { FastifyRequest } from 'fastify';
import { MeridianError } from '@meridian/core';
import { getItem, getRegisteredSearch, parseMeridianHref, registerSearch, registeredSearchItems, type StacItem, type Visibility } from '@meridian/stac';
import type { BlobRef } from '@meridian/storage';
import { CogSource, DEFAULT_MOSAIC_OPTIONS, MosaicSource, StackedSource, type Bounds, type CogReader, type MosaicItem } from '@meridian/tiles';
import type { Runtime } from '../../runtime.ts';
import type { RasterResolver } from './raster-context.ts';
import type { SearchRegistry } from './raster-searches.ts';

const COG_TYPE = /image\/tiff/i;
/** Asset roles in order of preference: analysis data first, then the visual rendition. */
const ROLE_PREFERENCE = ['data', 'visual'];

interface Asset {
  href?: unknown;
  type?: unknown;
  roles?: unknown;
}

/** The item's COG assets held in Meridian's storage, by asset name, in order of role preference. */
export function cogAssetRefs(item: StacItem): Map<string, BlobRef> {
  const rank = (asset: Asset) => {
    const roles = Array.isArray(asset.roles) ? asset.roles : [];
    const index = ROLE_PREFERENCE.findIndex((role) => roles.includes(role));
    return index < 0 ? ROLE_PREFERENCE.length : index;
  };
  const refs = new Map<string, BlobRef>();
  const assets = Object.entries((item.assets ?? {}) as Record<string, Asset>)
    .filter(([, asset]) => typeof asset.href === 'string' && typeof asset.type === 'string' && COG_TYPE.test(asset.type))
    .sort(([, a], [, b]) => rank(a) - rank(b));
  for (const [name, asset] of assets) {
    const target = parseMeridianHref(asset.href as string);
    if (target?.kind === 'blob') refs.set(name, { container: target.container, key: target.key });
  }
  return refs;
}

/** The BlobStore ref of the item's preferred COG asset, or undefined when it has none in Meridian's storage. */
export function cogAssetRef(item: StacItem): BlobRef | undefined {
  return cogAssetRefs(item).values().next().value;
}

/** TiTiler's assets=a&assets=b (or assets=a,b): the names, each once, in order. */
function assetNames(assets: string[]): string[] {
  return [...new Set(assets.flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean))];
}

function itemBounds(item: StacItem): Bounds | undefined {
  const bbox = item.bbox;
  if (!Array.isArray(bbox) || (bbox.length !== 4 && bbox.length !== 6) || !bbox.every((n) => typeof n === 'number')) return undefined;
  return bbox.length === 4 ? (bbox as Bounds) : [bbox[0], bbox[1], bbox[3], bbox[4]] as Bounds;
}

export interface StacRasterOptions {
  runtime: Runtime;
  reader: CogReader;
  visibility(request: FastifyRequest): Visibility;
}

export function stacRasterResolver({ runtime, reader, visibility }: StacRasterOptions): RasterResolver {
  return {
    async item(request, collectionId, itemId, assets) {
      const stored = await getItem(runtime.db, collectionId, itemId, visibility(request));
      const refs = stored ? cogAssetRefs(stored.item) : new Map<string, BlobRef>();
      if (!stored || refs.size === 0) {
        throw new MeridianError('STAC_ITEM_NOT_FOUND', `no raster item "${itemId.slice(0, 64)}" in collection "${collectionId.slice(0, 64)}"`);
      }
      const isPublic = stored.served && stored.accessLevel === 'public';
      const names = assetNames(assets ?? []);
      if (names.length === 0) return { source: new CogSource(await reader.open(refs.values().next().value!)), public: isPublic };
      const missing = names.find((name) => !refs.has(name));
      if (missing !== undefined) {
        throw new MeridianError('RASTER_PARAMETER_INVALID', `assets: "${missing.slice(0, 64)}" is not a COG asset of the item; it has ${[...refs.keys()].join(', ')}`, { parameter: 'assets' });
      }
      const layers = await Promise.all(names.map(async (name) => ({ name, source: new CogSource(await reader.open(refs.get(name)!)) })));
      return { source: layers.length === 1 ? layers[0]!.source : new StackedSource(layers), public: isPublic };
    },

    async search(request, searchId, selection) {
      if (!(await getRegisteredSearch(runtime.db, searchId))) {
        throw new MeridianError('STAC_SEARCH_NOT_FOUND', `no search is registered as "${searchId.slice(0, 64)}"`);
      }
      const seenBy = visibility(request);
      const items = {
        async itemsIn(bounds: Bounds | null, limit: number): Promise<MosaicItem[]> {
          const page = await registeredSearchItems(runtime.db, searchId, { within: bounds ?? undefined, limit }, seenBy);
          return page.items.flatMap((item) => {
            const ref = cogAssetRef(item);
            const itemBbox = itemBounds(item);
            if (!ref || !itemBbox) return [];
            return [{ collection: String(item.collection ?? ''), id: item.id, bounds: itemBbox, open: () => reader.open(ref) }];
          });
        },
      };
      return { source: new MosaicSource(items, { ...DEFAULT_MOSAIC_OPTIONS, pixelSelection: selection }), public: false };
    },
  };
}

export function stacSearchRegistry(runtime: Runtime): SearchRegistry {
  return { register: (body) => registerSearch(runtime.db, body) };
}
