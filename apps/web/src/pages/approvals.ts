import { html, nothing, render } from 'lit-html';
import { api, query } from '../api.ts';
import type { PageContext } from '../router.ts';
import { empty, errorBox, every, formatTime, loading, statusBadge } from '../view.ts';

/** A release as GET /api/approvals lists it. */
interface Release {
  release_id: string;
  dataset_id: string;
  resource_id: string;
  data_type: string;
  version_id: string | null;
  ordinal: number;
  approval_state: string;
  clearance_state: string;
  processing_status: string;
  requested_access: string;
  reviewer: string | null;
  outputs: { table_name?: string | null; stac_collection_id?: string | null; stac_item_id?: string | null };
  created_at: string;
}

interface AuditEntry {
  release_id: string;
  action: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  reason: string | null;
  created_at: string;
}

const STATES = ['pending_review', 'approved', 'rejected', 'revoked'];
const REFRESH_MS = 10_000;

/** The viewer for a release's outputs; a pending one carries its id so the viewer shows the review controls. */
function viewerLink(release: Release): string | null {
  const { table_name: table, stac_collection_id: collection, stac_item_id: item } = release.outputs;
  const review = release.approval_state === 'pending_review' ? query({ release: release.release_id }) : '';
  if (release.data_type === 'vector' && table) return `/view/vector/${encodeURIComponent(table.replace(/^geo\./, ''))}${review}`;
  if (release.data_type === 'raster' && collection && item) return `/view/raster/${encodeURIComponent(collection)}/${encodeURIComponent(item)}${review}`;
  return null;
}

export function approvalsPage({ outlet, search, signal }: PageContext): void {
  const state = search.get('state') ?? 'pending_review';
  let releases: Release[] | null = null;
  let counts: Record<string, number> = {};
  let history: AuditEntry[] | null = null;
  let error: unknown = null;

  const draw = () =>
    render(html`<h1>Approvals</h1>
      <nav aria-label="Approval states" class="tabs">${STATES.map((s) => html`<a href="/approvals${query({ state: s })}" aria-current=${s === state ? 'page' : 'false'}>
        ${s.replace('_', ' ')} <span class="count">${counts[s] ?? 0}</span></a>`)}</nav>
      ${error ? errorBox(error, 'The approvals API') : nothing}
      ${!releases && !error ? loading('releases') : nothing}
      ${releases && !releases.length ? empty(`No releases are ${state.replace('_', ' ')}.`) : nothing}
      ${releases?.length ? html`<table><caption class="sr-only">Releases ${state}</caption>
        <thead><tr><th scope="col">Dataset / resource</th><th scope="col">Version</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Clearance</th><th scope="col">Submitted</th><th scope="col"><span class="sr-only">Open</span></th></tr></thead>
        <tbody>${releases.map((r) => {
          const link = viewerLink(r);
          return html`<tr><td>${r.dataset_id} / ${r.resource_id}</td><td>${r.version_id ?? `ord${r.ordinal}`}</td><td>${r.data_type}</td>
            <td>${statusBadge(r.approval_state)} <span class="muted small">${r.processing_status}</span></td><td>${r.clearance_state} <span class="muted small">(asked: ${r.requested_access})</span></td><td>${formatTime(r.created_at)}</td>
            <td>${link ? html`<a class="button" href=${link}>${r.approval_state === 'pending_review' ? 'Review' : 'View'}</a>` : nothing}</td></tr>`;
        })}</tbody></table>` : nothing}
      <section><h2>History</h2>
        ${history === null ? (error ? nothing : loading('history')) : history.length ? html`<table><thead><tr><th scope="col">When</th><th scope="col">Release</th><th scope="col">Action</th><th scope="col">State</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead>
          <tbody>${history.map((h) => html`<tr><td>${formatTime(h.created_at)}</td><td class="mono small">${h.release_id.slice(0, 12)}</td><td>${h.action}</td><td>${h.from_state ?? '–'} → ${h.to_state}</td><td>${h.actor}</td><td>${h.reason ?? ''}</td></tr>`)}</tbody></table>` : empty('No reviews yet.')}
      </section>`, outlet);

  every(REFRESH_MS, signal, async () => {
    try {
      const page = await api<{ releases: Release[]; counts: Record<string, number> }>(`/api/approvals${query({ state })}`, { signal });
      releases = page.releases;
      counts = page.counts;
      history = (await api<{ entries: AuditEntry[] }>(`/api/approvals/history${query({ limit: 50 })}`, { signal })).entries;
      error = null;
    } catch (e) {
      if (signal.aborted) return;
      error = e;
    }
    draw();
  });
}
