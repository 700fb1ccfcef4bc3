import { html, nothing, render } from 'lit-html';
import { ApiError, api } from '../api.ts';
import { navigate, type PageContext } from '../router.ts';
import { resolved, schemaForm, violations, type Values } from '../schema-form.ts';
import type { Job, JobType } from '../types.ts';
import { PublishForm } from '../publish-form.ts';
import { Upload } from '../upload.ts';
import { BlobPicker } from '../blob-picker.ts';
import { empty, errorBox, json, loading } from '../view.ts';

const BRONZE = /^bronze-[a-z0-9-]+$/;

export function submitPage({ outlet, search, signal }: PageContext): void {
  let types: JobType[] | null = null;
  let loadError: unknown = null;
  let chosen = search.get('type') ?? '';
  let values: Values = {};
  let problems: Record<string, string> = {};
  let checked: Values | null = null;
  let submitError: unknown = null;
  let submitting = false;
  let container = 'bronze-uploads';
  let prefix = 'uploads/';
  const publish = new PublishForm(() => draw());
  const upload = new Upload(() => draw(), (blob) => publish.useBlob(blob.container, blob.key));
  const picker = new BlobPicker(() => draw(), (blob) => publish.useBlob(blob.container, blob.key), signal);

  const type = () => types?.find((t) => t.name === chosen) ?? null;

  const dryRun = () => {
    const t = type();
    if (!t) return;
    problems = violations(t.parameters, values);
    checked = Object.keys(problems).length ? null : resolved(t.parameters, values);
    submitError = null;
    draw();
  };

  const submit = async () => {
    const t = type();
    if (!t || !checked) return;
    submitting = true;
    draw();
    try {
      const job = await api<Job>(`/api/jobs/submit/${encodeURIComponent(t.name)}`, { method: 'POST', body: checked });
      navigate(`/jobs/${job.job_id}`);
      return;
    } catch (e) {
      submitError = e;
      const fieldName = e instanceof ApiError ? (e.body as { field?: unknown } | null)?.field : undefined;
      if (typeof fieldName === 'string' && e instanceof ApiError) problems = { ...problems, [fieldName]: e.message };
      checked = null;
    }
    submitting = false;
    draw();
  };

  const uploadSection = () => html`<section aria-labelledby="upload-h"><h2 id="upload-h">1. Upload a file <span class="muted small">(or pick one below)</span></h2>
    <p class="muted">Files go to the bronze (upload) zone, streamed straight to storage; large files in parts that are retried and can be resumed.</p>
    <form class="row" @submit=${(e: Event) => {
      e.preventDefault();
      if (upload.file) void upload.send(container, `${prefix}${upload.file.name}`);
    }}>
      <div class="field"><label for="upload-container">Container</label>
        <input id="upload-container" .value=${container} pattern="bronze-[a-z0-9\\-]+" aria-invalid=${BRONZE.test(container) ? 'false' : 'true'}
          @input=${(e: Event) => { container = (e.target as HTMLInputElement).value; draw(); }} />
        ${BRONZE.test(container) ? nothing : html`<small class="field-error" role="alert">Uploads go to a bronze- container (lowercase letters, digits, dashes).</small>`}</div>
      <div class="field"><label for="upload-prefix">Folder</label><input id="upload-prefix" .value=${prefix} @input=${(e: Event) => { prefix = (e.target as HTMLInputElement).value; }} /></div>
      ${upload.view('upload-file')}
      <button type="submit" ?disabled=${!upload.file || upload.running || !BRONZE.test(container)}>Upload</button>
    </form>
    <section aria-labelledby="pick-h"><h3 id="pick-h">Or pick a file already in storage</h3>${picker.view()}</section></section>`;

  const jobSection = () => {
    const t = type();
    return html`<section aria-labelledby="job-h"><h2 id="job-h">3. Or run a job directly <span class="muted small">(jobs API)</span></h2>
      <form @submit=${(e: Event) => { e.preventDefault(); dryRun(); }}>
        <div class="field"><label for="job-type">Job type</label>
          <select id="job-type" @change=${(e: Event) => { chosen = (e.target as HTMLSelectElement).value; values = {}; problems = {}; checked = null; draw(); }}>
            <option value="">choose…</option>${(types ?? []).map((jt) => html`<option value=${jt.name} ?selected=${jt.name === chosen}>${jt.name}</option>`)}</select>
          ${t ? html`<small class="muted">${t.description}</small>` : nothing}</div>
        ${t ? html`<fieldset><legend>Options</legend>${schemaForm(t.parameters, values, problems, (name, value) => {
          values = { ...values, [name]: value };
          problems = violations(t.parameters, values);
          checked = null;
          draw();
        })}</fieldset>
        <div class="actions"><button type="submit">Dry run</button>
          <button type="button" class="primary" ?disabled=${!checked || submitting} @click=${submit}>Submit</button></div>` : nothing}
      </form>
      ${checked && t ? html`<div class="notice" role="status"><strong>Dry run passed.</strong> This request will be sent:
        <p class="mono small">POST /api/jobs/submit/${t.name}</p>${json(checked)}
        <p class="muted">Stages: ${t.stages.map((s) => `${s.name} (${s.fan})`).join(' → ')}</p></div>` : nothing}
      ${submitError ? errorBox(submitError, 'Submitting jobs') : nothing}
    </section>`;
  };

  const draw = () =>
    render(html`<h1>Submit</h1>
      ${uploadSection()}
      <section aria-labelledby="publish-h"><h2 id="publish-h">2. Publish it as a dataset <span class="muted small">(platform API)</span></h2>${publish.view()}</section>
      ${loadError ? errorBox(loadError, 'The jobs API') : nothing}
      ${!types && !loadError ? loading('job types') : nothing}
      ${types && !types.length ? empty('This server accepts no job types.') : nothing}
      ${types?.length ? jobSection() : nothing}`, outlet);

  draw();
  void picker.loadContainers();
  api<{ job_types: JobType[] }>('/api/jobs/types', { signal }).then(
    (r) => { types = r.job_types; draw(); },
    (e) => { if (!signal.aborted) { loadError = e; draw(); } },
  );
}
