/**
 * MapLibre set-up shared by the viewers and the catalog's extent picker. No base map is fetched (the
 * server may have no internet access), so maps draw data on a plain background with a graticule-free
 * style; MapLibre is loaded only by the pages that show a map.
 */
import { Map as MapLibreMap, NavigationControl, Popup, ScaleControl, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { authHeaders } from './api.ts';

// MapLibre looks for its worker next to its own module, which bundling moves; Vite emits it as an asset.
setWorkerUrl(workerUrl);

export { Popup };

export const EMPTY_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f5' } }],
};

/** Sends the bearer token with tile requests to our own API. */
function transformRequest(url: string) {
  const target = new URL(url, location.href);
  return target.origin === location.origin && target.pathname.startsWith('/api/') ? { url, headers: authHeaders() } : { url };
}

export function createMap(container: HTMLElement, bounds?: [number, number, number, number]): MapLibreMap {
  const map = new MapLibreMap({
    container,
    style: EMPTY_STYLE,
    center: [0, 20],
    zoom: 1,
    attributionControl: false,
    transformRequest,
    ...(bounds ? { bounds, fitBoundsOptions: { padding: 30, maxZoom: 14 } } : {}),
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl(), 'bottom-left');
  return map;
}

/** Bounds usable by fitBounds: clamped to Web Mercator's latitudes. */
export function mercatorBounds(bbox: number[]): [number, number, number, number] {
  const [w = -180, s = -85, e = 180, n = 85] = bbox.length === 6 ? [bbox[0], bbox[1], bbox[3], bbox[4]] : bbox;
  return [Math.max(-180, w), Math.max(-85, s), Math.min(180, e), Math.min(85, n)];
}
