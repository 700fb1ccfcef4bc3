/**
 * The platform API's submit form (POST /api/platform/submit): the same fields and identifier rules as
 * the B2B contract, checked inline, then a server dry run (?dry_run=true) before the real submit.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { ApiError, api } from './api.ts';
import { navigate } from './router.ts';
import { errorBox, json } from './view.ts';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CONTAINER = /^[a-z0-9-]{3,63}$/;

interface Field {
  name: string;
  label: string;
  required?: boolean;
  max?: number;
  rule?: [RegExp, string];
  help?: string;
}

const FIELDS: Field[] = [
  { name: 'dataset_id', label: 'Dataset id', required: true, max: 255, rule: [IDENTIFIER, 'Letters, digits, ".", "_" and "-", starting with a letter or digit.'] },
  { name: 'resource_id', label: 'Resource id', required: true, max: 255, rule: [IDENTIFIER, 'Letters, digits, ".", "_" and "-", starting with a letter or digit.'] },
  { name: 'version_id', label: 'Version id', max: 50, rule: [IDENTIFIER, 'Letters, digits, ".", "_" and "-", starting with a letter or digit.'] },
  { name: 'previous_version_id', label: 'Previous version id', max: 50, help: 'Needed when the asset already has an approved version.' },
  { name: 'container_name', label: 'Container', required: true, rule: [CONTAINER, '3–63 lowercase letters, digits and dashes.'], help: 'The bronze-zone container holding the upload.' },
  { name: 'file_name', label: 'File name', required: true, help: 'Path of the file inside the container; its extension sets the data type.' },
  { name: 'title', label: 'Title' },
  { name: 'description', label: 'Description' },
];

interface DryRun {
  data_type: string;
  would_create_job_type: string;
  lineage: unknown;
  warnings?: unknown[];
}

export class PublishForm {
  values: Record<string, string> = { access_level: 'ouo', processing_options: '' };
  problems: Record<string, string> = {};
  dryRun: DryRun | null = null;
  error: unknown = null;
  busy = false;

  constructor(private readonly redraw: () => void) {}

  /** Pre-fills the location of a file just uploaded. */
  useBlob(container: string, key: string): void {
    this.values = { ...this.values, container_name: container, file_name: key };
    this.dryRun = null;
  }

  private check(): Record<string, unknown> | null {
    const problems: Record<string, string> = {};
    for (const f of FIELDS) {
      const value = (this.values[f.name] ?? '').trim();
      if (!value) {
        if (f.required) problems[f.name] = 'Required.';
        continue;
      }
      if (f.max && value.length > f.max) problems[f.name] = `At most ${f.max} characters.`;
      else if (f.rule && !f.rule[0].test(value)) problems[f.name] = f.rule[1];
    }
    let options: unknown;
    if (this.values.processing_options?.trim()) {
      try {
        options = JSON.parse(this.values.processing_options);
      } catch {
        problems.processing_options = 'Must be a JSON object, e.g. {"overwrite": true}.';
      }
    }
    this.problems = problems;
    if (Object.keys(problems).length) return null;
    const body: Record<string, unknown> = { access_level: this.values.access_level };
    for (const f of FIELDS) if (this.values[f.name]?.trim()) body[f.name] = this.values[f.name]!.trim();
    if (options !== undefined) body.processing_options = options;
    return body;
  }

  private async send(dry: boolean): Promise<void> {
    const body = this.check();
    this.error = null;
    if (!body) return this.redraw();
    this.busy = true;
    this.redraw();
    try {
      if (dry) this.dryRun = await api<DryRun>('/api/platform/submit?dry_run=true', { method: 'POST', body });
      else {
        const accepted = await api<{ job_id: string }>('/api/platform/submit', { method: 'POST', body });
        navigate(`/jobs/${accepted.job_id}`);
        return;
      }
    } catch (e) {
      this.error = e;
      this.dryRun = null;
      // The server names the offending field in its message; show it next to that field too.
      const named = e instanceof ApiError ? FIELDS.find((f) => e.message.includes(f.name)) : undefined;
      if (named && e instanceof ApiError) this.problems = { ...this.problems, [named.name]: e.message };
    }
    this.busy = false;
    this.redraw();
  }

  private input(f: Field): TemplateResult {
    const id = `publish-${f.name}`;
    const problem = this.problems[f.name];
    return html`<div class="field"><label for=${id}>${f.label}${f.required ? html` <span aria-hidden="true">*</span>` : nothing}</label>
      <input id=${id} name=${f.name} ?required=${f.required ?? false} .value=${this.values[f.name] ?? ''} aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby="${id}-help ${id}-error" @input=${(e: Event) => { this.values = { ...this.values, [f.name]: (e.target as HTMLInputElement).value }; this.dryRun = null; this.redraw(); }} />
      <small id="${id}-help" class="muted">${f.help ?? ''}</small>
      ${problem ? html`<small id="${id}-error" class="field-error" role="alert">${problem}</small>` : nothing}</div>`;
  }

  view(): TemplateResult {
    const problem = this.problems.processing_options;
    return html`<form novalidate @submit=${(e: Event) => { e.preventDefault(); void this.send(true); }}>
      <div class="grid">${FIELDS.map((f) => this.input(f))}
        <div class="field"><label for="publish-access">Access level</label>
          <select id="publish-access" @change=${(e: Event) => { this.values = { ...this.values, access_level: (e.target as HTMLSelectElement).value }; this.dryRun = null; }}>
            <option value="ouo" ?selected=${this.values.access_level === 'ouo'}>Official use only</option>
            <option value="public" ?selected=${this.values.access_level === 'public'}>Public</option></select></div>
      </div>
      <div class="field"><label for="publish-options">Processing options (JSON)</label>
        <textarea id="publish-options" rows="3" placeholder='{"overwrite": false}' .value=${this.values.processing_options ?? ''} aria-invalid=${problem ? 'true' : 'false'}
          @input=${(e: Event) => { this.values = { ...this.values, processing_options: (e.target as HTMLTextAreaElement).value }; this.dryRun = null; }}></textarea>
        ${problem ? html`<small class="field-error" role="alert">${problem}</small>` : nothing}</div>
      <div class="actions"><button type="submit" ?disabled=${this.busy}>Dry run</button>
        <button type="button" class="primary" ?disabled=${this.busy || !this.dryRun} @click=${() => this.send(false)}>Submit</button></div>
      ${this.dryRun ? html`<div class="notice" role="status"><strong>Dry run passed:</strong> a ${this.dryRun.data_type} dataset, job ${this.dryRun.would_create_job_type}.
        ${json({ lineage: this.dryRun.lineage, warnings: this.dryRun.warnings ?? [] })}</div>` : nothing}
      ${this.error ? errorBox(this.error, 'The platform API') : nothing}
    </form>`;
  }
}
