/**
 * Every version and revision of the datasets behind a STAC collection, in one request
 * (GET /api/catalog/versions): the server lists only the releases the caller may see — approved public
 * ones for anonymous callers, approved OUO ones too for readers, every release for reviewers — with each
 * release's services. Review details (job, reviewer) come for reviewers only.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { api, query } from './api.ts';
import { formatTime, statusBadge } from './view.ts';

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
  services: Record<string, string | null> | null;
}

export interface AssetVersions {
  asset: { asset_id: string; dataset_id: string; resource_id: string; data_type: string; release_count: number };
  versions: Version[];
}

export interface VersionsPage {
  assets: AssetVersions[];
  next_offset: number | null;
}

export function loadVersions(collectionId: string, offset: number, signal: AbortSignal): Promise<VersionsPage> {
  return api<VersionsPage>(`/api/catalog/versions${query({ collection_id: collectionId, offset })}`, { signal });
}

/** Service URLs are absolute (MERIDIAN_PUBLIC_URL); links stay on this origin, as the UI itself does. */
function local(href: string): string {
  const url = new URL(href, location.origin);
  return `${url.pathname}${url.search}`;
}

function serviceLinks(v: Version): TemplateResult {
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
    <caption>${asset.dataset_id} / ${asset.resource_id} <span class="muted">(${asset.data_type}, ${asset.release_count} release${asset.release_count === 1 ? '' : 's'}${
      entry.versions.length < asset.release_count ? `, the newest ${entry.versions.length} shown` : ''})</span></caption>
    <thead><tr><th scope="col">Ordinal</th><th scope="col">Version</th><th scope="col">Revision</th><th scope="col">State</th><th scope="col">Approval</th>
      <th scope="col">Job</th><th scope="col">Created</th><th scope="col">Reviewed</th><th scope="col">Services</th></tr></thead>
    <tbody>${entry.versions.map((v) => html`<tr>
      <td>${v.version_ordinal}</td><td class="mono">${v.version_id ?? `ord${v.version_ordinal}`}</td><td>${v.revision}</td>
      <td>${statusBadge(v.processing_status)}</td>
      <td>${statusBadge(v.approval_state)} <span class="muted small">${v.clearance_state}</span>
        ${v.rejection_reason ? html`<br /><small>${v.rejection_reason}</small>` : nothing}</td>
      <td>${v.job_id ? html`<a class="mono" href="/jobs/${v.job_id}">${v.job_id.slice(0, 10)}…</a>` : '–'}</td>
      <td>${formatTime(v.created_at)}</td>
      <td>${v.reviewed_at ? html`${v.reviewer ? html`${v.reviewer}<br />` : nothing}<small>${formatTime(v.reviewed_at)}</small>` : '–'}</td>
      <td>${serviceLinks(v)}</td></tr>`)}</tbody></table>`;
}
