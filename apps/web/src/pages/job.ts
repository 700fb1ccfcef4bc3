import { html, nothing, render } from 'lit-html';
import { api, query } from '../api.ts';
import type { PageContext } from '../router.ts';
import { timeline } from '../timeline.ts';
import { FINISHED_JOB_STATUSES, taskProgress, type Job, type JobEvent, type Task } from '../types.ts';
import { between, empty, errorBox, every, formatDuration, formatTime, json, loading, progressBar, statusBadge } from '../view.ts';

const REFRESH_MS = 1500;
const TASK_PAGE = 100;

export function jobPage({ outlet, params, signal }: PageContext): void {
  const jobId = params[0]!;
  let job: Job | null = null;
  let tasks: Task[] = [];
  let taskTotal = 0;
  let events: JobEvent[] = [];
  let error: unknown = null;
  let actionError: unknown = null;
  let busy = false;

  const act = async (action: 'cancel' | 'resubmit') => {
    busy = true;
    actionError = null;
    draw();
    try {
      job = await api<Job>(`/api/jobs/${jobId}/${action}`, { method: 'POST', signal });
      if (action === 'resubmit') events = [];
    } catch (e) {
      actionError = e;
    }
    busy = false;
    draw();
  };

  const taskRows = () => html`<table class="tasks">
    <caption class="sr-only">Tasks</caption>
    <thead><tr><th scope="col">Task</th><th scope="col">Stage</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Worker</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
    <tbody>${tasks.map((t) => html`<tr>
      <td>${t.task_id}</td><td>${t.stage}</td><td>${t.task_type}</td><td>${statusBadge(t.status)}</td><td>${t.attempt}</td>
      <td class="mono small">${t.claimed_by ?? '–'}</td><td>${formatDuration(between(t.started_at, t.finished_at))}</td>
      <td>${t.error ? html`<span title=${t.error.remedy}>${t.error.code}: ${t.error.message}</span>` : '–'}</td></tr>`)}</tbody></table>
    ${taskTotal > tasks.length ? html`<p class="muted">Showing the first ${tasks.length} of ${taskTotal} tasks.</p>` : nothing}`;

  const body = (j: Job) => {
    const finished = FINISHED_JOB_STATUSES.includes(j.status);
    const { done, total } = taskProgress(j);
    return html`
      <p>${statusBadge(j.status)} <span class="muted">${j.job_type} v${j.job_type_version} · submitted ${formatTime(j.created_at)} · ${j.submissions} submission(s)</span></p>
      ${progressBar(done, total, 'Job progress')}
      <p class="muted">${done} of ${total} tasks finished · stage ${j.stage} of ${j.stage_count} · ran ${formatDuration(between(j.started_at, j.finished_at ?? (finished ? null : new Date().toISOString())))}</p>
      <div class="actions">
        <button type="button" ?disabled=${busy || finished} @click=${() => act('cancel')}>Cancel</button>
        <button type="button" ?disabled=${busy || !finished} @click=${() => act('resubmit')}>Resubmit</button>
      </div>
      ${actionError ? errorBox(actionError) : nothing}
      ${j.error ? html`<div class="error" role="alert"><strong>${j.error.message}</strong> <span class="code">${j.error.code}</span>
        <p><strong>Remedy:</strong> ${j.error.remedy}</p>${j.error.task_type ? html`<p class="muted">In task ${j.error.task_id} (${j.error.task_type}), stage ${j.error.stage}.</p>` : nothing}</div>` : nothing}
      <div class="two">
        <section><h2>Parameters</h2>${json(j.parameters)}</section>
        <section><h2>Stages</h2><table><thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Task type</th><th scope="col">Tasks</th></tr></thead>
          <tbody>${j.stages.map((s) => html`<tr><td>${s.stage}</td><td>${s.name}</td><td>${s.task_type} <span class="muted small">${s.fan}</span></td>
            <td>${Object.entries(s.tasks).map(([status, n]) => html`${statusBadge(status)} ${n} `)}</td></tr>`)}</tbody></table></section>
      </div>
      <section><h2>Execution timeline</h2>${events.length ? timeline(events, finished) : empty('No events yet.')}</section>
      <section><h2>Tasks</h2>${tasks.length ? taskRows() : empty('No tasks yet.')}</section>
      ${finished && j.result !== null ? html`<section><h2>Result</h2>${json(j.result)}</section>` : nothing}`;
  };

  const draw = () =>
    render(html`<p><a href="/jobs">← Jobs</a></p><h1>Job <span class="mono">${jobId.slice(0, 16)}…</span></h1>
      ${error ? errorBox(error, 'The jobs API') : nothing}
      ${!job && !error ? loading('the job') : nothing}
      ${job ? body(job) : nothing}`, outlet);

  every(REFRESH_MS, signal, async () => {
    if (job && FINISHED_JOB_STATUSES.includes(job.status) && events.length && !busy) return;
    try {
      job = await api<Job>(`/api/jobs/${jobId}`, { signal });
      const page = await api<{ tasks: Task[]; total: number }>(`/api/jobs/${jobId}/tasks${query({ limit: TASK_PAGE })}`, { signal });
      tasks = page.tasks;
      taskTotal = page.total;
      const after = events.at(-1)?.event_id ?? 0;
      const fresh = await api<{ events: JobEvent[] }>(`/api/jobs/${jobId}/events${query({ after_id: after, limit: 1000 })}`, { signal });
      events = [...events, ...fresh.events];
      error = null;
    } catch (e) {
      if (signal.aborted) return;
      error = e;
    }
    draw();
  });
}
