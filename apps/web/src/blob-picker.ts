/**
 * Browse storage (containers, then folders) and pick a file that is already there, through the same
 * storage API as the Storage page: so a file uploaded earlier, or by another tool, can be submitted.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { api, listBlobs, type BlobPage } from './api.ts';
import type { BlobInfo } from './types.ts';
import { empty, errorBox, formatBytes, formatTime, loading } from './view.ts';

export class BlobPicker {
  private containers: string[] | null = null;
  private container = '';
  private prefix = '';
  private page: BlobPage | null = null;
  private error: unknown = null;
  picked: BlobInfo | null = null;

  constructor(
    private readonly redraw: () => void,
    private readonly onPick: (blob: BlobInfo) => void,
    private readonly signal: AbortSignal,
  ) {}

  async loadContainers(): Promise<void> {
    try {
      this.containers = (await api<{ containers: string[] }>('/api/storage', { signal: this.signal })).containers;
    } catch (e) {
      if (!this.signal.aborted) this.error = e;
    }
    this.redraw();
  }

  private async browse(container: string, prefix: string, token?: string): Promise<void> {
    this.container = container;
    this.prefix = prefix;
    this.error = null;
    if (!token) this.page = null;
    this.redraw();
    try {
      const next = await listBlobs(container, prefix, token, this.signal);
      this.page = token && this.page
        ? { items: [...this.page.items, ...next.items], prefixes: [...this.page.prefixes, ...next.prefixes], next_token: next.next_token }
        : next;
    } catch (e) {
      if (!this.signal.aborted) this.error = e;
    }
    this.redraw();
  }

  private pick(blob: BlobInfo): void {
    this.picked = blob;
    this.onPick(blob);
    this.redraw();
  }

  private folderUp(): string {
    const parts = this.prefix.split('/').filter(Boolean);
    return parts.length > 1 ? `${parts.slice(0, -1).join('/')}/` : '';
  }

  private listing(page: BlobPage): TemplateResult {
    if (!page.items.length && !page.prefixes.length) return empty('Nothing here.');
    return html`<table class="blobs" data-testid="blob-picker"><caption class="sr-only">Files in ${this.container}/${this.prefix}</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Modified</th><th scope="col"><span class="sr-only">Choose</span></th></tr></thead>
      <tbody>
        ${page.prefixes.map((p) => html`<tr><td><button type="button" class="link" @click=${() => void this.browse(this.container, p)}>📁 ${p.slice(this.prefix.length)}</button></td><td>–</td><td>–</td><td></td></tr>`)}
        ${page.items.map((b) => html`<tr aria-selected=${this.picked?.container === b.container && this.picked.key === b.key ? 'true' : 'false'}>
          <td class="mono">${b.key.slice(this.prefix.length)}</td><td>${formatBytes(b.size)}</td><td>${formatTime(b.last_modified)}</td>
          <td><button type="button" aria-label="Use ${b.key.slice(this.prefix.length)}" @click=${() => this.pick(b)}>Use</button></td></tr>`)}
      </tbody></table>
      ${page.next_token ? html`<button type="button" @click=${() => void this.browse(this.container, this.prefix, page.next_token ?? undefined)}>Load more</button>` : nothing}`;
  }

  view(): TemplateResult {
    return html`<div class="field"><label for="pick-container">Container to browse</label>
        <select id="pick-container" ?disabled=${!this.containers} @change=${(e: Event) => {
          const name = (e.target as HTMLSelectElement).value;
          if (name) void this.browse(name, '');
        }}><option value="">choose…</option>${(this.containers ?? []).map((c) => html`<option value=${c} ?selected=${c === this.container}>${c}</option>`)}</select></div>
      ${this.containers && !this.containers.length ? empty('Storage holds no containers yet.') : nothing}
      ${this.container ? html`<p class="mono">${this.container}/${this.prefix}
        ${this.prefix ? html`<button type="button" @click=${() => void this.browse(this.container, this.folderUp())}>Up one folder</button>` : nothing}</p>` : nothing}
      ${this.error ? errorBox(this.error, 'The storage API') : nothing}
      ${this.container && !this.page && !this.error ? loading('files') : nothing}
      ${this.page ? this.listing(this.page) : nothing}
      ${this.picked ? html`<p class="ok" role="status">Using <span class="mono">${this.picked.container}/${this.picked.key}</span> (${formatBytes(this.picked.size)}).</p>` : nothing}`;
  }
}
