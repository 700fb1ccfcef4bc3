import { html, nothing, render } from 'lit-html';
import { api, query } from '../api.ts';
import type { PageContext } from '../router.ts';
import type { Check, Health, JobSummary } from '../types.ts';
import { errorBox, every, formatTime, loading } from '../view.ts';

const REFRESH_MS = 5000;
const DAY_MS = 24 * 3600 * 1000;

function check(name: string, value: Check) {
  return html`<div class="card">
    <h2>${name}</h2>
    <p class=${value.ok ? 'ok' : 'bad'}><strong>${value.ok ? 'OK' : 'Failing'}</strong> ${value.detail ?? ''}</p>
    ${value.latency_ms !== undefined ? html`<p class="muted">${value.latency_ms} ms</p>` : nothing}
  </div>`;
}

function workers(health: Health) {
  const w = health.workers;
  if (!w) return html`<div class="card"><h2>Workers</h2><p class="muted">Not reported by this server.</p></div>`;
  return html`<div class="card"><h2>Workers</h2>
    <p><strong>${w.alive}</strong> alive · <strong>${w.busy}</strong> busy of ${w.slots} slots</p>
    <p class="muted">Last heartbeat ${formatTime(w.last_heartbeat)}</p></div>`;
}

function queue(health: Health) {
  const q = health.queue;
  if (!q) return nothing;
  return html`<section><h2>Queue backlog</h2>
    <p><strong>${q.ready}</strong> ready · <strong>${q.pending_retry}</strong> waiting to retry · <strong>${q.processing}</strong> processing</p>
    ${q.by_task_type.length
      ? html`<table><caption class="sr-only">Backlog by task type</caption>
          <thead><tr><th scope="col">Task type</th><th scope="col">Ready</th><th scope="col">Retry</th><th scope="col">Processing</th><th scope="col">Oldest ready</th></tr></thead>
          <tbody>${q.by_task_type.map((r) => html`<tr><td>${r.task_type}</td><td>${r.ready}</td><td>${r.pending_retry}</td><td>${r.processing}</td><td>${formatTime(r.oldest_ready_at)}</td></tr>`)}</tbody></table>`
      : html`<p class="muted">Nothing waiting.</p>`}</section>`;
}

export function homePage({ outlet, signal }: PageContext): void {
  let health: Health | null = null;
  let failures: number | null = null;
  let error: unknown = null;

  const draw = () =>
    render(html`<h1>Overview</h1>
      ${error ? errorBox(error, 'Health') : nothing}
      ${!health && !error ? loading('health') : nothing}
      ${health ? html`
        <p>Meridian <strong>${health.version}</strong> · mode <strong>${health.mode}</strong> · auth <strong>${health.auth}</strong> ·
          status <span class=${health.status === 'ok' ? 'ok' : 'bad'} data-testid="health-status">${health.status}</span> · up ${Math.round(health.uptime_seconds / 60)} min</p>
        <div class="cards">
          ${check('Database', health.database)}
          ${check('Storage', health.storage)}
          ${workers(health)}
          <div class="card"><h2>Failures, last 24 h</h2>
            <p><strong>${failures ?? '–'}</strong> failed jobs</p><p><a href="/jobs?status=failed">See failed jobs</a></p></div>
        </div>
        ${queue(health)}
        <p class="muted" aria-live="off">Refreshes every ${REFRESH_MS / 1000} s.</p>` : nothing}`, outlet);

  every(REFRESH_MS, signal, async () => {
    try {
      health = await api<Health>('/api/health', { signal });
      error = null;
      const failed = await api<{ jobs: JobSummary[] }>(`/api/jobs${query({ status: 'failed', limit: 200 })}`, { signal }).catch(() => null);
      failures = failed ? failed.jobs.filter((j) => Date.now() - new Date(j.finished_at ?? j.updated_at).getTime() < DAY_MS).length : null;
    } catch (e) {
      if (signal.aborted) return;
      error = e;
    }
    draw();
  });
}
