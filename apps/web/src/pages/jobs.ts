import { html, nothing, render } from 'lit-html';
import { api, query } from '../api.ts';
import { navigate, type PageContext } from '../router.ts';
import { FINISHED_JOB_STATUSES, JOB_STATUSES, taskProgress, type Job, type JobSummary, type JobType } from '../types.ts';
import { empty, errorBox, every, formatTime, loading, progressBar, statusBadge } from '../view.ts';

const REFRESH_MS = 3000;
const PAGE = 50;
const PERIODS: Record<string, number> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

export function jobsPage({ outlet, search, signal }: PageContext): void {
  const filters = { status: search.get('status') ?? '', job_type: search.get('job_type') ?? '', period: search.get('period') ?? '', offset: Number(search.get('offset') ?? 0) };
  let jobs: JobSummary[] | null = null;
  let total = 0;
  let types: JobType[] = [];
  const live = new Map<string, Job>();
  let error: unknown = null;

  const apply = (change: Partial<typeof filters>) => {
    const next = { ...filters, offset: 0, ...change };
    navigate(`/jobs${query(next.offset ? next : { ...next, offset: undefined })}`, true);
  };

  const visible = () => {
    const within = PERIODS[filters.period];
    return (jobs ?? []).filter((j) => !within || Date.now() - new Date(j.created_at).getTime() < within);
  };

  const progress = (job: JobSummary) => {
    const detail = live.get(job.job_id);
    if (FINISHED_JOB_STATUSES.includes(job.status) || !detail) return html`<span class="muted">stage ${job.stage}/${job.stage_count}</span>`;
    const { done, total: all } = taskProgress(detail);
    return html`${progressBar(done, all, `Progress of job ${job.job_id.slice(0, 8)}`)}<span class="muted small">${done}/${all} tasks</span>`;
  };

  const draw = () =>
    render(html`<h1>Jobs</h1>
      <form class="filters" @submit=${(e: Event) => e.preventDefault()}>
        <label>Status <select name="status" @change=${(e: Event) => apply({ status: (e.target as HTMLSelectElement).value })}>
          <option value="">any</option>${JOB_STATUSES.map((s) => html`<option value=${s} ?selected=${s === filters.status}>${s.replaceAll('_', ' ')}</option>`)}</select></label>
        <label>Type <select name="job_type" @change=${(e: Event) => apply({ job_type: (e.target as HTMLSelectElement).value })}>
          <option value="">any</option>${types.map((t) => html`<option value=${t.name} ?selected=${t.name === filters.job_type}>${t.name}</option>`)}</select></label>
        <label>Submitted <select name="period" @change=${(e: Event) => apply({ period: (e.target as HTMLSelectElement).value })}>
          <option value="">any time</option>${Object.keys(PERIODS).map((p) => html`<option value=${p} ?selected=${p === filters.period}>last ${p}</option>`)}</select></label>
        <a class="button" href="/submit">Submit a job</a>
      </form>
      ${error ? errorBox(error, 'The jobs API') : nothing}
      ${jobs === null && !error ? loading('jobs') : nothing}
      ${jobs !== null && visible().length === 0 ? empty('No jobs match these filters.', html`<a href="/submit">Submit one</a>.`) : nothing}
      ${jobs !== null && visible().length ? html`<table class="jobs">
        <caption class="sr-only">Jobs, newest first</caption>
        <thead><tr><th scope="col">Job</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Submitted</th></tr></thead>
        <tbody>${visible().map((j) => html`<tr>
          <td><a class="mono" href="/jobs/${j.job_id}">${j.job_id.slice(0, 12)}</a></td><td>${j.job_type}</td><td>${statusBadge(j.status)}</td>
          <td class="progress-cell">${progress(j)}</td><td>${formatTime(j.created_at)}</td></tr>`)}</tbody></table>
        <p class="pager">${filters.offset > 0 ? html`<a href="/jobs${query({ ...filters, offset: Math.max(0, filters.offset - PAGE) })}">Newer</a>` : nothing}
          <span class="muted">${filters.offset + 1}–${filters.offset + (jobs?.length ?? 0)} of ${total}</span>
          ${filters.offset + PAGE < total ? html`<a href="/jobs${query({ ...filters, offset: filters.offset + PAGE })}">Older</a>` : nothing}</p>` : nothing}`, outlet);

  api<{ job_types: JobType[] }>('/api/jobs/types', { signal }).then(
    (r) => { types = r.job_types; draw(); },
    (e) => { if (!signal.aborted) { error = e; draw(); } },
  );

  every(REFRESH_MS, signal, async () => {
    try {
      const page = await api<{ jobs: JobSummary[]; total: number }>(`/api/jobs${query({ status: filters.status, job_type: filters.job_type, limit: PAGE, offset: filters.offset })}`, { signal });
      jobs = page.jobs;
      total = page.total;
      error = null;
      const running = page.jobs.filter((j) => !FINISHED_JOB_STATUSES.includes(j.status)).slice(0, 20);
      const details = await Promise.all(running.map((j) => api<Job>(`/api/jobs/${j.job_id}`, { signal })));
      live.clear();
      for (const d of details) live.set(d.job_id, d);
    } catch (e) {
      if (signal.aborted) return;
      error = e;
    }
    draw();
  });
}
