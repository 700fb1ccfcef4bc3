import { html, nothing, render } from 'lit-html';
import { api, query } from '../api.ts';
import { Popup, createMap, mercatorBounds } from '../map.ts';
import type { PageContext } from '../router.ts';
import { Review } from '../review.ts';
import { empty, errorBox, loading } from '../view.ts';

interface Collection {
  id: string;
  title: string;
  description: string;
  extent: { spatial: { bbox: number[][] } };
}

interface FeaturePage {
  features: { id: string | number; properties: Record<string, unknown> }[];
  numberMatched?: number;
  numberReturned: number;
}

const PAGE = 20;

/** A table cell: nested values (arrays, JSON columns) as JSON, missing ones as a dash. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '–';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const COLOR = '#0b6e99';

export function vectorViewerPage({ outlet, params, search, signal }: PageContext): void {
  const id = params[0]!;
  const releaseId = search.get('release');
  const review = releaseId ? new Review(releaseId, () => draw(), () => void loadCollection()) : null;
  let collection: Collection | null = null;
  let error: unknown = null;
  let rows: FeaturePage | null = null;
  let tableError: unknown = null;
  let filter = search.get('filter') ?? '';
  let offset = 0;
  let map: ReturnType<typeof createMap> | null = null;

  const loadRows = async () => {
    tableError = null;
    try {
      rows = await api<FeaturePage>(`/api/features/collections/${encodeURIComponent(id)}/items${query({ limit: PAGE, offset, filter, 'filter-lang': filter ? 'cql2-text' : undefined })}`, { signal });
    } catch (e) {
      if (signal.aborted) return;
      rows = null;
      tableError = e;
    }
    draw();
  };

  const table = () => {
    if (!rows) return nothing;
    if (!rows.features.length) return empty('No features match.');
    const columns = [...new Set(rows.features.flatMap((f) => Object.keys(f.properties)))];
    const matched = rows.numberMatched;
    return html`<div class="scroll"><table class="attributes" data-testid="attribute-table"><caption class="sr-only">Attributes</caption>
      <thead><tr><th scope="col">id</th>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${rows.features.map((f) => html`<tr><td>${f.id}</td>${columns.map((c) => html`<td>${cell(f.properties[c])}</td>`)}</tr>`)}</tbody></table></div>
      <p class="pager">
        <button type="button" ?disabled=${offset === 0} @click=${() => { offset = Math.max(0, offset - PAGE); void loadRows(); }}>Previous</button>
        <span class="muted">${offset + 1}–${offset + rows.numberReturned}${matched !== undefined ? ` of ${matched}` : ''}</span>
        <button type="button" ?disabled=${matched !== undefined ? offset + PAGE >= matched : rows.numberReturned < PAGE} @click=${() => { offset += PAGE; void loadRows(); }}>Next</button></p>`;
  };

  const draw = () =>
    render(html`<p><a href="/catalog">← Catalog</a></p>
      <h1>${collection?.title ?? id} <span class="muted small">vector</span></h1>
      ${error ? errorBox(error, 'This collection') : nothing}
      <div class="viewer">
        <div class="map" id="vector-map" role="region" aria-label="Map of ${id}"></div>
        <aside>
          ${collection ? html`<p>${collection.description}</p>
            <ul class="links"><li><a href="/api/features/collections/${id}">OGC collection</a></li>
              <li><a href="/api/features/collections/${id}/items?f=html" target="_blank" rel="noopener">Features (HTML)</a></li>
              <li><a href="/api/features/collections/${id}/tiles/WebMercatorQuad">TileJSON</a></li></ul>` : nothing}
          ${review ? review.view() : html`<p class="muted">Open from the approvals queue to review a release.</p>`}
        </aside>
      </div>
      <section aria-labelledby="attr-h"><h2 id="attr-h">Attributes</h2>
        <form class="row" @submit=${(e: Event) => { e.preventDefault(); offset = 0; void loadRows(); }}>
          <div class="field grow"><label for="cql2">CQL2 filter</label>
            <input id="cql2" .value=${filter} placeholder="pop > 100000 AND name LIKE 'A%'" @input=${(e: Event) => { filter = (e.target as HTMLInputElement).value; }} /></div>
          <button type="submit">Apply</button>
        </form>
        ${tableError ? errorBox(tableError, 'Filtering') : nothing}
        ${collection && !rows && !tableError ? loading('features') : table()}
      </section>`, outlet);

  /** The collection and its map; run again after an approval, when the release becomes served. */
  const loadCollection = async () => {
    error = null;
    try {
      collection = await api<Collection>(`/api/features/collections/${encodeURIComponent(id)}`, { signal });
    } catch (e) {
      if (!signal.aborted) error = e;
      draw();
      return;
    }
    draw();
    void loadRows();
    map?.remove();
    map = createMap(outlet.querySelector<HTMLElement>('#vector-map')!, mercatorBounds(collection.extent.spatial.bbox[0] ?? []));
    const shown = map;
    shown.on('load', () => {
      shown.addSource('data', { type: 'vector', url: `${location.origin}/api/features/collections/${encodeURIComponent(id)}/tiles/WebMercatorQuad` });
      const layer = { source: 'data', 'source-layer': id };
      shown.addLayer({ id: 'fill', type: 'fill', ...layer, filter: ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false], paint: { 'fill-color': COLOR, 'fill-opacity': 0.35 } });
      shown.addLayer({ id: 'line', type: 'line', ...layer, filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], false, true], paint: { 'line-color': COLOR, 'line-width': 1.5 } });
      shown.addLayer({ id: 'point', type: 'circle', ...layer, filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false], paint: { 'circle-color': COLOR, 'circle-radius': 5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    });
    shown.on('click', (event) => {
      const feature = shown.queryRenderedFeatures(event.point, { layers: ['fill', 'line', 'point'] })[0];
      if (!feature) return;
      const list = document.createElement('dl');
      for (const [key, value] of Object.entries(feature.properties)) {
        list.append(Object.assign(document.createElement('dt'), { textContent: key }), Object.assign(document.createElement('dd'), { textContent: cell(value) }));
      }
      new Popup({ maxWidth: '320px' }).setLngLat(event.lngLat).setDOMContent(list).addTo(shown);
    });
  };

  signal.addEventListener('abort', () => map?.remove());
  draw();
  void loadCollection();
}
