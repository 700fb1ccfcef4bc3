import { html, nothing, render } from 'lit-html';
import { api, blobPath, listBlobs, query } from '../api.ts';
import { navigate, type PageContext } from '../router.ts';
import type { BlobInfo } from '../types.ts';
import { Upload } from '../upload.ts';
import { empty, errorBox, formatBytes, formatTime, loading } from '../view.ts';

const ZONES = [
  ['bronze-', 'Bronze — uploads'],
  ['silver-', 'Silver — processed outputs'],
  ['external-', 'External — public copies'],
] as const;

function zoneOf(container: string): string {
  return ZONES.find(([prefix]) => container.startsWith(prefix))?.[1] ?? 'Other';
}

export function storagePage({ outlet, signal }: PageContext): void {
  let containers: string[] | null = null;
  let error: unknown = null;
  const draw = () => {
    const groups = new Map<string, string[]>();
    for (const c of containers ?? []) groups.set(zoneOf(c), [...(groups.get(zoneOf(c)) ?? []), c]);
    render(html`<h1>Storage</h1>
      ${error ? errorBox(error, 'The storage API') : nothing}
      ${!containers && !error ? loading('containers') : nothing}
      ${containers && !containers.length ? empty('No containers yet.', html`<a href="/storage/bronze-uploads">Upload into bronze-uploads</a> to create one.`) : nothing}
      ${[...groups].map(([zone, names]) => html`<section><h2>${zone}</h2><ul class="containers">
        ${names.map((name) => html`<li><a href="/storage/${name}">${name}</a></li>`)}</ul></section>`)}
      <form class="row" @submit=${(e: Event) => {
        e.preventDefault();
        const name = new FormData(e.target as HTMLFormElement).get('container');
        if (typeof name === 'string' && name) navigate(`/storage/${encodeURIComponent(name)}`);
      }}><div class="field"><label for="open-container">Open or create a container</label>
        <input id="open-container" name="container" placeholder="bronze-uploads" pattern="[a-z0-9][a-z0-9\\-]{2,62}" required /></div>
        <button type="submit">Open</button></form>`, outlet);
  };
  draw();
  api<{ containers: string[] }>('/api/storage', { signal }).then(
    (r) => { containers = r.containers; draw(); },
    (e) => { if (!signal.aborted) { error = e; draw(); } },
  );
}

export function containerPage({ outlet, params, search, signal }: PageContext): void {
  const container = params[0]!;
  const prefix = search.get('prefix') ?? '';
  let items: BlobInfo[] | null = null;
  let prefixes: string[] = [];
  let nextToken: string | null = null;
  let error: unknown = null;
  let actionError: unknown = null;
  const upload = new Upload(() => draw(), () => void load());

  const load = async (token?: string) => {
    try {
      const page = await listBlobs(container, prefix, token, signal);
      items = token ? [...(items ?? []), ...page.items] : page.items;
      prefixes = token ? [...prefixes, ...page.prefixes] : page.prefixes;
      nextToken = page.next_token;
      error = null;
    } catch (e) {
      if (signal.aborted) return;
      error = e;
    }
    draw();
  };

  const remove = async (blob: BlobInfo) => {
    if (!confirm(`Delete ${blob.container}/${blob.key}? This cannot be undone.`)) return;
    actionError = null;
    try {
      await api(blobPath(blob.container, blob.key), { method: 'DELETE' });
      await load();
    } catch (e) {
      actionError = e;
      draw();
    }
  };

  const crumbs = () => {
    const parts = prefix.split('/').filter(Boolean);
    return html`<nav aria-label="Breadcrumb" class="crumbs"><a href="/storage">Storage</a> / <a href="/storage/${container}">${container}</a>
      ${parts.map((part, i) => html` / <a href="/storage/${container}${query({ prefix: `${parts.slice(0, i + 1).join('/')}/` })}">${part}</a>`)}</nav>`;
  };

  const listing = () => html`<table class="blobs"><caption class="sr-only">Contents of ${container}/${prefix}</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Modified</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
    <tbody>
      ${prefixes.map((p) => html`<tr><td><a href="/storage/${container}${query({ prefix: p })}">📁 ${p.slice(prefix.length)}</a></td><td>–</td><td>–</td><td></td></tr>`)}
      ${(items ?? []).map((b) => html`<tr><td><a href=${blobPath(b.container, b.key)} download>${b.key.slice(prefix.length)}</a></td>
        <td>${formatBytes(b.size)}</td><td>${formatTime(b.last_modified)}</td>
        <td><button type="button" class="danger" aria-label="Delete ${b.key}" @click=${() => remove(b)}>Delete</button></td></tr>`)}
    </tbody></table>
    ${nextToken ? html`<button type="button" @click=${() => load(nextToken ?? undefined)}>Load more</button>` : nothing}`;

  const draw = () =>
    render(html`${crumbs()}<h1 class="mono">${container}/${prefix}</h1>
      <section aria-labelledby="up-h"><h2 id="up-h">Upload here</h2>
        <form class="row" @submit=${async (e: Event) => {
          e.preventDefault();
          if (upload.file) await upload.send(container, `${prefix}${upload.file.name}`);
        }}>${upload.view('storage-file')}<button type="submit" ?disabled=${!upload.file || upload.running}>Upload</button></form></section>
      ${actionError ? errorBox(actionError, 'Deleting') : nothing}
      ${error ? errorBox(error, 'The storage API') : nothing}
      ${items === null && !error ? loading('blobs') : nothing}
      ${items !== null && !items.length && !prefixes.length ? empty('Nothing here yet.', 'Upload a file to create it.') : nothing}
      ${items !== null && (items.length || prefixes.length) ? listing() : nothing}`, outlet);

  draw();
  void load();
}
