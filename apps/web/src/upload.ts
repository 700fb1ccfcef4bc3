/** The upload control shared by Submit and Storage: choose a file, stream it with a progress bar. */
import { html, nothing, type TemplateResult } from 'lit-html';
import { uploadBlob } from './api.ts';
import type { BlobInfo } from './types.ts';
import { errorBox, formatBytes, progressBar } from './view.ts';

export class Upload {
  file: File | null = null;
  loaded = 0;
  running = false;
  done: BlobInfo | null = null;
  error: unknown = null;

  constructor(private readonly redraw: () => void) {}

  async send(container: string, key: string): Promise<BlobInfo | null> {
    if (!this.file) return null;
    this.running = true;
    this.error = null;
    this.done = null;
    this.loaded = 0;
    this.redraw();
    try {
      this.done = (await uploadBlob(container, key, this.file, (p) => {
        this.loaded = p.loaded;
        this.redraw();
      })) as BlobInfo;
    } catch (e) {
      this.error = e;
    }
    this.running = false;
    this.redraw();
    return this.done;
  }

  /** The file input, progress and outcome; `id` keeps labels unique when a page has several. */
  view(id: string): TemplateResult {
    return html`<div class="field">
        <label for=${id}>File</label>
        <input id=${id} type="file" ?disabled=${this.running} @change=${(e: Event) => {
          this.file = (e.target as HTMLInputElement).files?.[0] ?? null;
          this.done = null;
          this.redraw();
        }} />
      </div>
      ${this.running || this.done ? html`${progressBar(this.loaded, this.file?.size ?? 0, 'Upload progress')}
        <p class="muted" aria-live="polite">${formatBytes(this.loaded)} of ${formatBytes(this.file?.size ?? 0)}${this.done ? ' — uploaded' : ''}</p>` : nothing}
      ${this.done ? html`<p class="ok" role="status">Stored as <span class="mono">${this.done.container}/${this.done.key}</span> (${formatBytes(this.done.size)}).</p>` : nothing}
      ${this.error ? errorBox(this.error, 'Uploading') : nothing}`;
  }
}
