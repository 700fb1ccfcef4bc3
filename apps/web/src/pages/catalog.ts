import { html, nothing, render } from 'lit-html';
import { api } from '../api.ts';
import type { PageContext } from '../router.ts';
import { viewerPath, type StacCollection, type StacItem } from '../stac.ts';
import { empty, errorBox, loading } from '../view.ts';

interface FeatureCollectionDoc {
  id: string;
  title: string;
  description: string;
}

export function catalogPage({ outlet, signal }: PageContext): void {
  let stac: StacCollection[] | null = null;
  let stacError: unknown = null;
  let vector: FeatureCollectionDoc[] | null = null;
  let vectorError: unknown = null;
  let results: StacItem[] | null = null;
  let searchError: unknown = null;
  let text = '';
  let from = '';
  let to = '';
  let useExtent = false;
  let extent: number[] | null = null;

  const matches = (c: { id: string; title?: string; description?: string }) => !text || `${c.id} ${c.title ?? ''} ${c.description ?? ''}`.toLowerCase().includes(text.toLowerCase());

  const search = async () => {
    searchError = null;
    const datetime = from || to ? `${from ? `${from}T00:00:00Z` : '..'}/${to ? `${to}T23:59:59Z` : '..'}` : undefined;
    try {
      const found = await api<{ features: StacItem[] }>('/api/stac/search', {
        method: 'POST',
        signal,
        body: { limit: 100, ...(datetime ? { datetime } : {}), ...(useExtent && extent ? { bbox: extent } : {}) },
      });
      // STAC item search has no free-text parameter: the text narrows the page of results here.
      results = found.features.filter((item) => matches({ id: `${item.collection ?? ''} ${item.id}`, title: String(item.properties.title ?? ''), description: String(item.properties.description ?? '') }));
    } catch (e) {
      results = null;
      searchError = e;
    }
    draw();
  };

  const extentMap = async (container: HTMLElement) => {
    const { createMap } = await import('../map.ts');
    const map = createMap(container);
    signal.addEventListener('abort', () => map.remove());
    const update = () => {
      const b = map.getBounds();
      extent = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Math.round(v * 1e4) / 1e4);
      extent = [Math.max(-180, extent[0]!), Math.max(-90, extent[1]!), Math.min(180, extent[2]!), Math.min(90, extent[3]!)];
      draw();
    };
    map.on('moveend', update);
    map.on('load', update);
  };

  const draw = () =>
    render(html`<h1>Catalog</h1>
      <form class="search" aria-label="Search the catalog" @submit=${(e: Event) => { e.preventDefault(); void search(); }}>
        <div class="field grow"><label for="q">Text</label><input id="q" type="search" .value=${text} @input=${(e: Event) => { text = (e.target as HTMLInputElement).value; draw(); }} /></div>
        <div class="field"><label for="from">From</label><input id="from" type="date" .value=${from} @change=${(e: Event) => { from = (e.target as HTMLInputElement).value; }} /></div>
        <div class="field"><label for="to">To</label><input id="to" type="date" .value=${to} @change=${(e: Event) => { to = (e.target as HTMLInputElement).value; }} /></div>
        <div class="field"><label><input type="checkbox" .checked=${useExtent} @change=${(e: Event) => { useExtent = (e.target as HTMLInputElement).checked; draw(); }} /> Only the map's extent</label>
          <small class="muted mono">${extent ? extent.join(', ') : ''}</small></div>
        <button type="submit" class="primary">Search items</button>
      </form>
      <div class="map small-map" id="extent-map" role="region" aria-label="Search extent: pan and zoom to choose"></div>
      ${searchError ? errorBox(searchError, 'STAC search') : nothing}
      ${results ? html`<section><h2>Items found</h2>${results.length ? html`<ul class="items">${results.map((item) => {
        const viewer = viewerPath(item);
        return html`<li><a href="/catalog/${item.collection ?? ''}">${item.collection}</a> / <strong>${item.id}</strong>
          ${typeof item.properties.datetime === 'string' ? html`<span class="muted">${item.properties.datetime}</span>` : nothing}
          ${viewer ? html` · <a href=${viewer}>View</a>` : nothing}</li>`;
      })}</ul>` : empty('No items match.')}</section>` : nothing}
      <section><h2>STAC collections</h2>
        ${stacError ? errorBox(stacError, 'The STAC API') : nothing}
        ${!stac && !stacError ? loading('collections') : nothing}
        ${stac && !stac.filter(matches).length ? empty('No STAC collections yet.') : nothing}
        ${stac?.length ? html`<ul class="collections">${stac.filter(matches).map((c) => html`<li><a href="/catalog/${c.id}">${c.title ?? c.id}</a>
          <span class="muted">${c.description ?? ''}</span></li>`)}</ul>` : nothing}</section>
      <section><h2>Vector collections (OGC API Features)</h2>
        ${vectorError ? errorBox(vectorError, 'OGC API Features') : nothing}
        ${!vector && !vectorError ? loading('collections') : nothing}
        ${vector && !vector.filter(matches).length ? empty('No published vector collections.') : nothing}
        ${vector?.length ? html`<ul class="collections">${vector.filter(matches).map((c) => html`<li><a href="/view/vector/${c.id}">${c.title}</a>
          <span class="muted">${c.id} — ${c.description}</span></li>`)}</ul>` : nothing}</section>`, outlet);

  draw();
  void extentMap(outlet.querySelector<HTMLElement>('#extent-map')!);
  api<{ collections: StacCollection[] }>('/api/stac/collections', { signal }).then(
    (r) => { stac = r.collections; draw(); },
    (e) => { if (!signal.aborted) { stacError = e; draw(); } },
  );
  api<{ collections: FeatureCollectionDoc[] }>('/api/features/collections', { signal }).then(
    (r) => { vector = r.collections; draw(); },
    (e) => { if (!signal.aborted) { vectorError = e; draw(); } },
  );
}
