/**
 * The execution timeline: job_events drawn as a Gantt chart. One bar for the job, one per stage (from
 * stage_started to stage_completed) and one per task (from its first to its last event, coloured by the
 * task's last status), with retries and checkpoints as ticks on the task's bar.
 */
import { html, svg, type TemplateResult } from 'lit-html';
import type { JobEvent } from './types.ts';
import { formatDuration } from './view.ts';

interface Bar {
  label: string;
  start: number;
  end: number;
  status: string;
  ticks: { at: number; kind: string }[];
}

const ROW = 22;
/** Beyond this many tasks the chart shows the first ones only: a row per task stops being readable. */
const MAX_TASK_ROWS = 200;
const LABEL = 150;
const WIDTH = 900;

function bars(events: JobEvent[], now: number): { rows: Bar[]; taskCount: number } {
  const t = (e: JobEvent) => new Date(e.created_at).getTime();
  const first = events[0] ? t(events[0]) : now;
  const last = events.at(-1);
  const job: Bar = { label: 'job', start: first, end: last && /completed|failed|cancelled/.test(last.event_type) ? t(last) : now, status: last?.status ?? 'queued', ticks: [] };
  const stages = new Map<number, Bar>();
  const tasks = new Map<number, Bar>();
  for (const event of events) {
    if (event.task_id !== null) {
      const bar = tasks.get(event.task_id) ?? { label: `task ${event.task_id}`, start: t(event), end: t(event), status: 'ready', ticks: [] };
      bar.end = t(event);
      if (event.status) bar.status = event.status;
      if (event.event_type === 'task_checkpoint' || event.event_type === 'task_retry_scheduled' || event.event_type === 'task_reclaimed') bar.ticks.push({ at: t(event), kind: event.event_type });
      tasks.set(event.task_id, bar);
    } else if (event.stage !== null && event.event_type.startsWith('stage_')) {
      const bar = stages.get(event.stage) ?? { label: `stage ${event.stage}${typeof event.data.name === 'string' ? ` ${event.data.name}` : ''}`, start: t(event), end: now, status: 'processing', ticks: [] };
      if (event.event_type === 'stage_completed') {
        bar.end = t(event);
        bar.status = 'completed';
      }
      stages.set(event.stage, bar);
    }
  }
  for (const bar of tasks.values()) if (bar.status === 'processing') bar.end = Math.max(bar.end, now);
  return { rows: [job, ...stages.values(), ...[...tasks.values()].slice(0, MAX_TASK_ROWS)], taskCount: tasks.size };
}

export function timeline(events: JobEvent[], finished: boolean): TemplateResult {
  const now = finished && events.length ? new Date(events.at(-1)!.created_at).getTime() : Date.now();
  const { rows, taskCount } = bars(events, now);
  const start = Math.min(...rows.map((r) => r.start));
  const span = Math.max(1, Math.max(...rows.map((r) => r.end)) - start);
  const x = (ms: number) => LABEL + ((ms - start) / span) * (WIDTH - LABEL - 10);
  const height = rows.length * ROW + 24;
  return html`<figure class="timeline">
    <svg viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Execution timeline: ${rows.length} bars over ${formatDuration(span)}">
      ${rows.map((r, i) => svg`<g class="bar status-${r.status}">
        <text x="4" y=${i * ROW + 15}>${r.label}</text>
        <rect x=${x(r.start)} y=${i * ROW + 4} width=${Math.max(2, x(r.end) - x(r.start))} height=${ROW - 8} rx="3"><title>${r.label}: ${r.status}, ${formatDuration(r.end - r.start)}</title></rect>
        ${r.ticks.map((tick) => svg`<line class="tick" x1=${x(tick.at)} x2=${x(tick.at)} y1=${i * ROW + 2} y2=${i * ROW + ROW - 2}><title>${tick.kind}</title></line>`)}
      </g>`)}
      <text class="axis" x=${LABEL} y=${height - 6}>0</text>
      <text class="axis" x=${WIDTH - 10} y=${height - 6} text-anchor="end">${formatDuration(span)}</text>
    </svg>
    <figcaption class="muted">${events.length} events; bars run from a row's first to its last event.${taskCount > MAX_TASK_ROWS ? ` Showing the first ${MAX_TASK_ROWS} of ${taskCount} tasks.` : ''}</figcaption>
  </figure>`;
}
