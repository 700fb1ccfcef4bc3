import { html, nothing, render } from 'lit-html';
import { api, query } from '../api.ts';
import type { PageContext } from '../router.ts';
import { viewerPath, type StacCollection, type StacItem } from '../stac.ts';
import { empty, errorBox, json, loading } from '../view.ts';
import { loadVersions, versionsTable, type AssetVersions } from '../dataset-versions.ts';

export function datasetPage({ outlet, params, signal }: PageContext): void {
  const id = params[0]!;
  const base = `/api/stac/collections/${encodeURIComponent(id)}`;
  let collection: StacCollection | null = null;
  let items: StacItem[] | null = null;
  let error: unknown = null;
  let itemsError: unknown = null;
  let versions: AssetVersions[] | null = null;
  let versionsNext: number | null = null;
  let versionsError: unknown = null;

  const itemRow = (item: StacItem) => {
    const viewer = viewerPath(item);
    const version = item.properties['platform:version_id'];
    return html`<tr><td>${item.id}</td><td>${typeof version === 'string' ? version : '–'}</td>
      <td>${typeof item.properties.datetime === 'string' ? item.properties.datetime : '–'}</td>
      <td>${viewer ? html`<a href=${viewer}>View</a> · ` : nothing}<a href="${base}/items/${encodeURIComponent(item.id)}">STAC</a>
        ${Object.entries(item.assets ?? {}).map(([name, asset]) => html` · <a href=${asset.href} download>${asset.title ?? name}</a>`)}</td></tr>`;
  };

  const draw = () =>
    render(html`<p><a href="/catalog">← Catalog</a></p><h1>${collection?.title ?? id}</h1>
      ${error ? errorBox(error, 'This dataset') : nothing}
      ${!collection && !error ? loading('the dataset') : nothing}
      ${collection ? html`<p>${collection.description ?? ''}</p>
        <div class="two"><section><h2>Metadata</h2>${json({ license: collection.license, keywords: collection.keywords, extent: collection.extent })}</section>
          <section><h2>Links</h2><ul class="links"><li><a href=${base}>STAC collection</a></li>
            ${(collection.links ?? []).filter((l) => !['self', 'root', 'parent', 'items'].includes(l.rel)).map((l) => html`<li><a href=${l.href}>${l.title ?? l.rel}</a></li>`)}</ul></section></div>
        <section aria-labelledby="versions-h"><h2 id="versions-h">Versions</h2>
          ${versionsError ? errorBox(versionsError, 'The version history') : nothing}
          ${versionsError ? nothing : !versions ? loading('versions') : versions.length
            ? html`<div class="scroll">${versions.map(versionsTable)}</div>
              ${versionsNext === null ? nothing : html`<button type="button" @click=${moreVersions}>More datasets</button>`}`
            : empty('No platform release of this collection that you may see.', 'Collections written straight to the STAC API have no versions; signing in may show more.')}</section>
        <section><h2>Items</h2>
          ${itemsError ? errorBox(itemsError, 'The items of this dataset') : nothing}
          ${itemsError ? nothing : !items ? loading('items') : items.length ? html`<table><thead><tr><th scope="col">Item</th><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Links</th></tr></thead>
            <tbody>${items.map(itemRow)}</tbody></table>` : empty('No items in this collection.')}</section>` : nothing}`, outlet);

  draw();
  api<StacCollection>(base, { signal }).then(
    (c) => { collection = c; draw(); },
    (e) => { if (!signal.aborted) { error = e; draw(); } },
  );
  /** The next page of versions (the first when none is loaded); its button is gone while it loads. */
  const moreVersions = () => {
    const offset = versionsNext ?? 0;
    versionsNext = null;
    draw();
    loadVersions(id, offset, signal).then(
      (page) => { versions = [...(versions ?? []), ...page.assets]; versionsNext = page.next_offset; draw(); },
      (e) => { if (!signal.aborted) { versionsError = e; draw(); } },
    );
  };
  moreVersions();
  api<{ features: StacItem[] }>(`${base}/items${query({ limit: 100 })}`, { signal }).then(
    (r) => { items = r.features; draw(); },
    (e) => { if (!signal.aborted) { itemsError = e; draw(); } },
  );
}
