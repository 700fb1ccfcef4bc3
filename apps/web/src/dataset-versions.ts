/**
 * Every version and revision of the dataset behind a STAC collection, from the platform API: the
 * releases that produced the collection (the review queue, GET /api/approvals), then each asset's
 * versions and each version's services (GET /api/platform/status/{id}). Reviewers see this; others
 * get the API's own answer (a sign-in hint).
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { api, query } from './api.ts';
import { formatTime, statusBadge } from './view.ts';

interface QueuedRelease {
  release_id: string;
  asset_id: string;
  outputs: { stac_collection_id?: string | null };
}

interface Version {
  release_id: string;
  version_id: string | null;
  version_ordinal: number;
  revision: number;
  processing_status: string;
  approval_state: string;
  clearance_state: string;
  job_id: string | null;
  reviewer: string | null;
  reviewed_at: string | null;
  rejection_reason: string | null;
  created_at: string;
  updated_at: string;
}

interface Status {
  asset: { asset_id: string; dataset_id: string; resource_id: string; data_type: string; release_count: number };
  versions: Version[];
  services: Record<string, string | null> | null;
}

export interface AssetVersions {
  asset: Status['asset'];
  versions: (Version & { services: Record<string, string | null> | null })[];
}

const QUEUE_LIMIT = 500;

export async function loadVersions(collectionId: string, signal: AbortSignal): Promise<AssetVersions[]> {
  const queue = await api<{ releases: QueuedRelease[] }>(`/api/approvals${query({ limit: QUEUE_LIMIT })}`, { signal });
  const assets = [...new Set(queue.releases.filter((r) => r.outputs.stac_collection_id === collectionId).map((r) => r.asset_id))];
  return Promise.all(assets.map(async (assetId) => {
    const status = await api<Status>(`/api/platform/status/${assetId}`, { signal });
    const versions = await Promise.all(status.versions.map(async (v) => ({
      ...v,
      services: (await api<Status>(`/api/platform/status/${v.release_id}`, { signal })).services,
    })));
    return { asset: status.asset, versions };
  }));
}

/** Service URLs are absolute (MERIDIAN_PUBLIC_URL); links stay on this origin, as the UI itself does. */
function local(href: string): string {
  const url = new URL(href, location.origin);
  return `${url.pathname}${url.search}`;
}

function serviceLinks(v: AssetVersions['versions'][number]): TemplateResult {
  const s = v.services;
  if (!s) return html`<span class="muted">none${v.processing_status === 'completed' ? ' (unpublished)' : ''}</span>`;
  const links: [string, string | null | undefined][] = [
    [v.approval_state === 'pending_review' ? 'Review' : 'View', s.viewer ? `${local(s.viewer)}${v.approval_state === 'pending_review' ? query({ release: v.release_id }) : ''}` : null],
    ['Service', s.service_url ? local(s.service_url) : null],
    ['Preview', s.preview ? local(s.preview) : null],
    ['STAC item', s.stac_item ? local(s.stac_item) : null],
  ];
  return html`${links.filter(([, href]) => href).map(([label, href], i) => html`${i ? ' · ' : ''}<a href=${href!}>${label}</a>`)}`;
}

export function versionsTable(entry: AssetVersions): TemplateResult {
  const { asset } = entry;
  return html`<table class="versions" data-testid="versions">
    <caption>${asset.dataset_id} / ${asset.resource_id} <span class="muted">(${asset.data_type}, ${asset.release_count} release${asset.release_count === 1 ? '' : 's'})</span></caption>
    <thead><tr><th scope="col">Ordinal</th><th scope="col">Version</th><th scope="col">Revision</th><th scope="col">State</th><th scope="col">Approval</th>
      <th scope="col">Job</th><th scope="col">Created</th><th scope="col">Reviewed</th><th scope="col">Services</th></tr></thead>
    <tbody>${entry.versions.map((v) => html`<tr>
      <td>${v.version_ordinal}</td><td class="mono">${v.version_id ?? `ord${v.version_ordinal}`}</td><td>${v.revision}</td>
      <td>${statusBadge(v.processing_status)}</td>
      <td>${statusBadge(v.approval_state)} <span class="muted small">${v.clearance_state}</span>
        ${v.rejection_reason ? html`<br /><small>${v.rejection_reason}</small>` : nothing}</td>
      <td>${v.job_id ? html`<a class="mono" href="/jobs/${v.job_id}">${v.job_id.slice(0, 10)}…</a>` : '–'}</td>
      <td>${formatTime(v.created_at)}</td><td>${v.reviewer ? html`${v.reviewer}<br /><small>${formatTime(v.reviewed_at)}</small>` : '–'}</td>
      <td>${serviceLinks(v)}</td></tr>`)}</tbody></table>`;
}
