/** Small pieces every page uses: states (loading, empty, error), formatting, badges and polling. */
import { html, nothing, type TemplateResult } from 'lit-html';
import { ApiError } from './api.ts';

export function loading(what: string): TemplateResult {
  return html`<p class="muted" role="status" aria-live="polite">Loading ${what}…</p>`;
}

export function empty(message: string, hint?: TemplateResult | string): TemplateResult {
  return html`<div class="empty" role="status"><p>${message}</p>${hint ? html`<p class="muted">${hint}</p>` : nothing}</div>`;
}

/** An error with the catalog's remedy; an API this server does not offer gets its own plain message. */
export function errorBox(error: unknown, what = 'This'): TemplateResult {
  if (error instanceof ApiError && error.missing) {
    return html`<div class="notice" role="status"><strong>${what} is not available on this server.</strong>
      <p class="muted">The API it needs is not in this server's OpenAPI document: it is not part of this build or not exposed in this mode.</p></div>`;
  }
  if (error instanceof ApiError) {
    return html`<div class="error" role="alert"><strong>${error.message}</strong>
      <span class="code">${error.code}</span>${error.remedy ? html`<p>${error.remedy}</p>` : nothing}
      ${error.status === 401 || error.status === 403 ? html`<p><a href="/auth">Sign in</a> with your identity provider or a bearer token.</p>` : nothing}</div>`;
  }
  return html`<div class="error" role="alert"><strong>${error instanceof Error ? error.message : String(error)}</strong></div>`;
}

export function statusBadge(status: string | null | undefined): TemplateResult {
  const value = status ?? 'unknown';
  return html`<span class="badge status-${value}">${value.replaceAll('_', ' ')}</span>`;
}

export function progressBar(done: number, total: number, label: string): TemplateResult {
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  return html`<div class="progress" role="progressbar" aria-label=${label} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${percent}>
    <div class="progress-fill" style="width:${percent}%"></div><span class="progress-text">${percent}%</span></div>`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '–';
}

export function between(start: string | null, end: string | null): number | null {
  return start && end ? new Date(end).getTime() - new Date(start).getTime() : null;
}

export function json(value: unknown): TemplateResult {
  return html`<pre class="json">${JSON.stringify(value, null, 2)}</pre>`;
}

/** Runs `tick` now and every `ms` until the page is left (the signal aborts). */
export function every(ms: number, signal: AbortSignal, tick: () => Promise<void>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    await tick();
    if (!signal.aborted) timer = setTimeout(run, ms);
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  void run();
}
