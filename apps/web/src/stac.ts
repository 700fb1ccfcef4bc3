/** The bits of STAC the catalog pages read, and how an item maps to a viewer. */
export interface StacLink {
  rel: string;
  href: string;
  type?: string;
  title?: string;
}

export interface StacCollection {
  id: string;
  title?: string;
  description?: string;
  license?: string;
  keywords?: string[];
  extent?: { spatial?: { bbox?: number[][] }; temporal?: { interval?: (string | null)[][] } };
  links?: StacLink[];
}

export interface StacItem {
  id: string;
  collection?: string;
  bbox?: number[];
  properties: Record<string, unknown>;
  assets?: Record<string, { href: string; type?: string; title?: string; roles?: string[] }>;
  links?: StacLink[];
}

const FEATURES_PATH = /\/api\/features\/collections\/([^/?#]+)/;

/** Where to look at an item: the raster viewer for a GeoTIFF asset, the vector viewer for an OGC link. */
export function viewerPath(item: StacItem): string | null {
  const collection = item.collection ?? '';
  if (Object.values(item.assets ?? {}).some((a) => a.type?.includes('geotiff') || /\.tiff?$/i.test(a.href))) {
    return `/view/raster/${encodeURIComponent(collection)}/${encodeURIComponent(item.id)}`;
  }
  for (const link of item.links ?? []) {
    const match = FEATURES_PATH.exec(link.href);
    if (match) return `/view/vector/${match[1]}`;
  }
  return null;
}
