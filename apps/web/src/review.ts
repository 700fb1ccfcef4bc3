/**
 * Approve / reject controls for a release pending review, calling the platform API exactly as a B2B
 * client would (POST /api/platform/approve|reject), so classification rules are the server's alone.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { api } from './api.ts';
import { errorBox } from './view.ts';

export interface ReviewOutcome {
  approval_state: string;
  message?: string;
}

export class Review {
  reviewer = '';
  clearance = 'ouo';
  reason = '';
  busy = false;
  outcome: ReviewOutcome | null = null;
  error: unknown = null;

  /** `onReviewed` runs after a successful decision: an approved release is served now, so viewers reload. */
  constructor(
    private readonly releaseId: string,
    private readonly redraw: () => void,
    private readonly onReviewed: () => void,
  ) {}

  private async send(action: 'approve' | 'reject'): Promise<void> {
    this.busy = true;
    this.error = null;
    this.redraw();
    const body = action === 'approve'
      ? { release_id: this.releaseId, reviewer: this.reviewer, clearance_state: this.clearance, ...(this.reason ? { notes: this.reason } : {}) }
      : { release_id: this.releaseId, reviewer: this.reviewer, reason: this.reason };
    try {
      this.outcome = await api<ReviewOutcome>(`/api/platform/${action}`, { method: 'POST', body });
      this.onReviewed();
    } catch (e) {
      this.error = e;
    }
    this.busy = false;
    this.redraw();
  }

  view(): TemplateResult {
    const ready = this.reviewer.trim().length > 0;
    return html`<form class="review" aria-labelledby="review-h" @submit=${(e: Event) => { e.preventDefault(); void this.send('approve'); }}>
      <h2 id="review-h">Review release <span class="mono small">${this.releaseId.slice(0, 12)}</span></h2>
      <div class="field"><label for="reviewer">Reviewer</label><input id="reviewer" required maxlength="200" .value=${this.reviewer}
        @input=${(e: Event) => { this.reviewer = (e.target as HTMLInputElement).value; this.redraw(); }} /></div>
      <div class="field"><label for="clearance">Clearance</label><select id="clearance" @change=${(e: Event) => { this.clearance = (e.target as HTMLSelectElement).value; }}>
        <option value="ouo" ?selected=${this.clearance === 'ouo'}>Official use only (ouo)</option>
        <option value="public" ?selected=${this.clearance === 'public'}>Public</option></select></div>
      <div class="field"><label for="reason">Reason / notes</label><textarea id="reason" rows="2" .value=${this.reason}
        @input=${(e: Event) => { this.reason = (e.target as HTMLTextAreaElement).value; this.redraw(); }}></textarea>
        <small class="muted">Required to reject.</small></div>
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy || !ready || this.outcome !== null}>Approve</button>
        <button type="button" class="danger" ?disabled=${this.busy || !ready || !this.reason.trim() || this.outcome !== null} @click=${() => this.send('reject')}>Reject</button>
      </div>
      ${this.outcome ? html`<p class="ok" role="status">${this.outcome.message ?? `Release ${this.outcome.approval_state}.`}</p>` : nothing}
      ${this.error ? errorBox(this.error, 'Reviewing') : nothing}
    </form>`;
  }
}
