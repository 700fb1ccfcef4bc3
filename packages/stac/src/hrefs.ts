/**
 * How STAC items point at Meridian's own data, so the consistency checker can tell what an item depends on:
 * - a blob (COG, thumbnail, Zarr store, ...): an asset href `{publicUrl}/api/storage/{container}/{key}`
 *   (the storage API that serves it; every key segment URI-encoded);
 * - a vector table: an asset or link href `{publicUrl}/api/features/collections/{table}` (optionally
 *   followed by `/items`, `/tiles/...`), the OGC API Features collection that serves it.
 * Only the path is compared, so items stay recognized when the public URL changes.
 */
const STORAGE_PATH = /^\/api\/storage\/([a-z0-9-]{3,63})\/(.+)$/;
const FEATURES_PATH = /^\/api\/features\/collections\/([a-z_][a-z0-9_]{0,62})(\/.*)?$/;

export type MeridianHref =
  | { kind: 'blob'; container: string; key: string }
  | { kind: 'vector'; table: string };

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

export function storageHref(publicUrl: string, container: string, key: string): string {
  return `${trimSlash(publicUrl)}/api/storage/${container}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function featuresCollectionHref(publicUrl: string, table: string): string {
  return `${trimSlash(publicUrl)}/api/features/collections/${table}`;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** What an href points at in Meridian, or undefined for anything else (other servers, other APIs). */
export function parseMeridianHref(href: string): MeridianHref | undefined {
  let path: string;
  try {
    path = new URL(href, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
  const blob = STORAGE_PATH.exec(path);
  if (blob) {
    // The URL parser keeps percent-escapes as written; a malformed one makes the href foreign.
    const key = blob[2]!.split('/').map((segment) => decodeSegment(segment));
    return key.every((s) => s !== undefined) ? { kind: 'blob', container: blob[1]!, key: key.join('/') } : undefined;
  }
  const vector = FEATURES_PATH.exec(path);
  if (vector) return { kind: 'vector', table: vector[1]! };
  return undefined;
}

/** Every Meridian target an item's assets and links point at. */
export function meridianTargets(item: Record<string, unknown>): MeridianHref[] {
  const hrefs: string[] = [];
  const assets = item.assets;
  if (assets && typeof assets === 'object') {
    for (const asset of Object.values(assets as Record<string, { href?: unknown }>)) {
      if (typeof asset?.href === 'string') hrefs.push(asset.href);
    }
  }
  if (Array.isArray(item.links)) {
    for (const link of item.links as { href?: unknown }[]) if (typeof link?.href === 'string') hrefs.push(link.href);
  }
  const targets = new Map<string, MeridianHref>();
  for (const href of hrefs) {
    const target = parseMeridianHref(href);
    if (target) targets.set(target.kind === 'blob' ? `blob ${target.container}/${target.key}` : `vector ${target.table}`, target);
  }
  return [...targets.values()];
}
