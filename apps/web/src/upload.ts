/**
 * The upload control shared by Submit and Storage: choose a file, send it with a progress bar. Files
 * up to CHUNK_BYTES go in one streamed PUT; larger ones in resumable parts (see chunked-upload.ts).
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { uploadBlob } from './api.ts';
import { CHUNK_BYTES, chunkedUpload } from './chunked-upload.ts';
import type { BlobInfo } from './types.ts';
import { errorBox, formatBytes, progressBar } from './view.ts';

export class Upload {
  file: File | null = null;
  loaded = 0;
  running = false;
  done: BlobInfo | null = null;
  error: unknown = null;
  /** A chunked upload's number of parts, its open session (to resume), and the last retry. */
  parts: number | null = null;
  private resumable: { id: string; container: string; key: string; file: File } | null = null;
  retrying: string | null = null;

  constructor(
    private readonly redraw: () => void,
    /** Called whenever a file has been stored, also after a resumed upload. */
    private readonly onStored: (blob: BlobInfo) => void = () => undefined,
  ) {}

  /** Sends the chosen file; an open session for the same file and target is continued. */
  async send(container: string, key: string): Promise<BlobInfo | null> {
    const open = this.resumable;
    return this.run(container, key, open?.file === this.file && open.container === container && open.key === key ? open.id : undefined);
  }

  /** Continues a chunked upload that failed, sending only the parts the server lacks. */
  resume(): Promise<BlobInfo | null> {
    const open = this.resumable;
    return open ? this.send(open.container, open.key) : Promise.resolve(null);
  }

  private async run(container: string, key: string, resumeId?: string): Promise<BlobInfo | null> {
    const file = this.file;
    if (!file) return null;
    this.running = true;
    this.error = null;
    this.done = null;
    this.retrying = null;
    this.loaded = 0;
    this.redraw();
    const progress = (loaded: number) => {
      this.loaded = loaded;
      this.redraw();
    };
    try {
      if (file.size > CHUNK_BYTES) {
        this.done = await chunkedUpload(container, key, file, {
          onProgress: (p) => progress(p.loaded),
          onSession: (session) => {
            this.resumable = { id: session.upload_id, container, key, file };
            this.parts = session.part_count;
          },
          onRetry: (part, attempt) => {
            this.retrying = `Part ${part + 1} failed; sending it again (attempt ${attempt}).`;
            this.redraw();
          },
        }, resumeId);
        this.resumable = null;
      } else {
        this.parts = null;
        this.done = (await uploadBlob(container, key, file, (p) => progress(p.loaded))) as BlobInfo;
      }
    } catch (e) {
      this.error = e;
    }
    this.running = false;
    if (this.done) this.onStored(this.done);
    this.redraw();
    return this.done;
  }

  private status(size: number): TemplateResult {
    const parts = this.parts ? ` in ${this.parts} parts` : '';
    return html`${progressBar(this.loaded, size, 'Upload progress')}
      <p class="muted" aria-live="polite">${formatBytes(this.loaded)} of ${formatBytes(size)}${parts}${this.done ? ' — uploaded' : ''}</p>
      ${this.retrying && this.running ? html`<p class="muted" role="status">${this.retrying}</p>` : nothing}`;
  }

  /** The file input, progress and outcome; `id` keeps labels unique when a page has several. */
  view(id: string): TemplateResult {
    const size = this.file?.size ?? 0;
    return html`<div class="field">
        <label for=${id}>File</label>
        <input id=${id} type="file" ?disabled=${this.running} @change=${(e: Event) => {
          this.file = (e.target as HTMLInputElement).files?.[0] ?? null;
          this.done = null;
          this.redraw();
        }} />
      </div>
      ${this.running || this.done || this.error ? this.status(size) : nothing}
      ${this.done ? html`<p class="ok" role="status">Stored as <span class="mono">${this.done.container}/${this.done.key}</span> (${formatBytes(this.done.size)}).</p>` : nothing}
      ${this.error ? errorBox(this.error, 'Uploading') : nothing}
      ${this.error && this.resumable?.file === this.file && !this.running ? html`<button type="button" @click=${() => void this.resume()}>Resume upload</button>
        <small class="muted">Only the parts that did not arrive are sent.</small>` : nothing}`;
  }
}
