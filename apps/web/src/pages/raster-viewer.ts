import { html, nothing, render, svg } from 'lit-html';
import { api } from '../api.ts';
import { createMap } from '../map.ts';
import type { PageContext } from '../router.ts';
import { Review } from '../review.ts';
import { errorBox, loading } from '../view.ts';

/** TiTiler-style band statistics: `histogram` is [counts, bin edges]. */
interface BandStatistics {
  min: number | null;
  max: number | null;
  mean: number | null;
  histogram?: [number[], number[]];
}

function histogram(name: string, stats: BandStatistics) {
  const [counts = [], edges = []] = stats.histogram ?? [];
  if (!counts.length) return nothing;
  const peak = Math.max(...counts, 1);
  const width = 300;
  const barWidth = width / counts.length;
  return html`<figure class="histogram"><svg viewBox="0 0 ${width} 100" width="100%" role="img" aria-label="Histogram of ${name}">
      ${counts.map((c, i) => svg`<rect x=${i * barWidth} y=${100 - (c / peak) * 100} width=${Math.max(1, barWidth - 1)} height=${(c / peak) * 100}><title>${edges[i]}–${edges[i + 1]}: ${c}</title></rect>`)}
    </svg><figcaption class="muted small">${name}: min ${stats.min ?? '–'}, max ${stats.max ?? '–'}, mean ${stats.mean?.toFixed(2) ?? '–'}</figcaption></figure>`;
}

export function rasterViewerPage({ outlet, params, search, signal }: PageContext): void {
  const [collection, item] = [params[0]!, params[1]!];
  const base = `/api/raster/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(item)}`;
  const releaseId = search.get('release');
  const review = releaseId ? new Review(releaseId, () => draw(), () => { void showTiles(); void loadStatistics(); }) : null;
  const options = { bidx: search.get('bidx') ?? '', rescale: search.get('rescale') ?? '', colormap_name: search.get('colormap_name') ?? '' };
  let stats: Record<string, BandStatistics> | null = null;
  let statsError: unknown = null;
  let mapError: unknown = null;
  let point: unknown = null;
  let pointError: unknown = null;
  let map: ReturnType<typeof createMap> | null = null;
  let colorMaps: string[] = [];

  /** TiTiler's parameters: one bidx per band, repeated. */
  const tileJsonUrl = () => {
    const params = new URLSearchParams();
    for (const band of options.bidx.split(',').filter(Boolean)) params.append('bidx', band.trim());
    if (options.rescale) params.set('rescale', options.rescale);
    if (options.colormap_name) params.set('colormap_name', options.colormap_name);
    return `${base}/tilejson.json?${params}`;
  };

  const showTiles = async () => {
    if (!map) return;
    mapError = null;
    try {
      const tilejson = await api<{ tiles: string[]; bounds?: [number, number, number, number] }>(tileJsonUrl(), { signal });
      if (map.getLayer('raster')) map.removeLayer('raster');
      if (map.getSource('raster')) map.removeSource('raster');
      map.addSource('raster', { type: 'raster', tiles: tilejson.tiles, tileSize: 256, ...(tilejson.bounds ? { bounds: tilejson.bounds } : {}) });
      map.addLayer({ id: 'raster', type: 'raster', source: 'raster' });
      if (tilejson.bounds) map.fitBounds(tilejson.bounds, { padding: 20, animate: false });
    } catch (e) {
      if (!signal.aborted) mapError = e;
    }
    draw();
  };

  const loadStatistics = async () => {
    statsError = null;
    try {
      stats = await api<Record<string, BandStatistics>>(`${base}/statistics`, { signal });
    } catch (e) {
      if (!signal.aborted) statsError = e;
    }
    draw();
  };

  const controls = () => html`<form class="controls" @submit=${(e: Event) => {
      e.preventDefault();
      const data = new FormData(e.target as HTMLFormElement);
      options.bidx = String(data.get('bidx') ?? '');
      options.rescale = String(data.get('rescale') ?? '');
      options.colormap_name = String(data.get('colormap_name') ?? '');
      void showTiles();
    }}>
    <div class="field"><label for="bidx">Bands</label><input id="bidx" name="bidx" .value=${options.bidx} placeholder="all, or e.g. 1 or 3,2,1" pattern="\\d+(,\\d+)*" /></div>
    <div class="field"><label for="rescale">Rescale</label><input id="rescale" name="rescale" .value=${options.rescale} placeholder="min,max" pattern="-?[\\d.]+,-?[\\d.]+" /></div>
    <div class="field"><label for="colormap">Colormap</label><select id="colormap" name="colormap_name">
      ${['', ...colorMaps].map((c) => html`<option value=${c} ?selected=${c === options.colormap_name}>${c || 'none'}</option>`)}</select></div>
    <button type="submit">Apply</button></form>`;

  const draw = () =>
    render(html`<p><a href="/catalog/${collection}">← ${collection}</a></p>
      <h1>${item} <span class="muted small">raster</span></h1>
      <div class="viewer">
        <div class="map" id="raster-map" role="region" aria-label="Map of ${item}"></div>
        <aside>
          ${review ? review.view() : nothing}
          ${controls()}
          ${mapError ? errorBox(mapError, 'Raster tiles') : nothing}
          <section><h2>Point inspector</h2>
            ${point ? html`<pre class="json">${JSON.stringify(point, null, 2)}</pre>` : html`<p class="muted">Click the map to read pixel values.</p>`}
            ${pointError ? errorBox(pointError, 'The point query') : nothing}</section>
          <section><h2>Histogram</h2>
            ${statsError ? errorBox(statsError, 'Statistics') : nothing}
            ${!stats && !statsError ? loading('statistics') : nothing}
            ${stats ? Object.entries(stats).map(([band, s]) => histogram(band, s)) : nothing}</section>
        </aside>
      </div>`, outlet);

  draw();
  map = createMap(outlet.querySelector<HTMLElement>('#raster-map')!);
  signal.addEventListener('abort', () => map?.remove());
  map.on('load', () => void showTiles());
  map.on('click', async (event) => {
    pointError = null;
    try {
      point = await api(`${base}/point/${event.lngLat.lng.toFixed(6)},${event.lngLat.lat.toFixed(6)}`, { signal });
    } catch (e) {
      pointError = e;
    }
    draw();
  });
  api<{ colorMaps: string[] }>('/api/raster/colorMaps', { signal }).then(
    (r) => { colorMaps = r.colorMaps; draw(); },
    (e) => { if (!signal.aborted) { mapError = e; draw(); } },
  );
  void loadStatistics();
}
