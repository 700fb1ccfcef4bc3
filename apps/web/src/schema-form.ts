/**
 * A form for a job type's parameters, generated from its JSON Schema (the same schema the API
 * validates with), with the schema's rules checked inline as the user types.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import type { JsonSchema } from './types.ts';

export type Values = Record<string, unknown>;

/** The first rule a value breaks, in words, or null. */
export function violation(schema: JsonSchema, value: unknown, required: boolean): string | null {
  if (value === undefined || value === '') return required && schema.default === undefined ? 'Required.' : null;
  if (schema.type === 'integer' || schema.type === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'Enter a number.';
    if (schema.type === 'integer' && !Number.isInteger(value)) return 'Enter a whole number.';
    if (schema.minimum !== undefined && value < schema.minimum) return `Must be at least ${schema.minimum}.`;
    if (schema.maximum !== undefined && value > schema.maximum) return `Must be at most ${schema.maximum}.`;
  }
  if (schema.type === 'string' && typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `Must have at least ${schema.minLength} characters.`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `Must have at most ${schema.maxLength} characters.`;
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) return `Must match ${schema.pattern}.`;
  }
  if (schema.enum && !schema.enum.includes(value)) return `Must be one of ${schema.enum.join(', ')}.`;
  return null;
}

export function violations(schema: JsonSchema, values: Values): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const problem = violation(property, values[name], schema.required?.includes(name) ?? false);
    if (problem) found[name] = problem;
  }
  return found;
}

/** The values as the API will see them: unset fields take their defaults. */
export function resolved(schema: JsonSchema, values: Values): Values {
  const out: Values = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const value = values[name];
    if (value !== undefined && value !== '') out[name] = value;
    else if (property.default !== undefined) out[name] = property.default;
  }
  return out;
}

function parse(schema: JsonSchema, input: HTMLInputElement | HTMLSelectElement): unknown {
  if (input instanceof HTMLInputElement && input.type === 'checkbox') return input.checked;
  if (input.value === '') return undefined;
  if (schema.type === 'integer' || schema.type === 'number') return Number(input.value);
  return input.value;
}

function field(name: string, schema: JsonSchema, value: unknown, problem: string | undefined, onInput: (name: string, value: unknown) => void): TemplateResult {
  const id = `param-${name}`;
  const described = `${id}-help ${problem ? `${id}-error` : ''}`;
  const change = (e: Event) => onInput(name, parse(schema, e.target as HTMLInputElement));
  const placeholder = schema.default !== undefined ? String(schema.default) : '';
  let control: TemplateResult;
  if (schema.enum) {
    control = html`<select id=${id} name=${name} aria-describedby=${described} @change=${change}>
      <option value="">${placeholder ? `default (${placeholder})` : 'choose…'}</option>
      ${schema.enum.map((option) => html`<option ?selected=${option === value}>${String(option)}</option>`)}</select>`;
  } else if (schema.type === 'boolean') {
    control = html`<input id=${id} name=${name} type="checkbox" .checked=${Boolean(value ?? schema.default)} aria-describedby=${described} @change=${change} />`;
  } else {
    const numeric = schema.type === 'integer' || schema.type === 'number';
    control = html`<input id=${id} name=${name} type=${numeric ? 'number' : 'text'} step=${schema.type === 'integer' ? '1' : 'any'}
      .value=${value === undefined ? '' : String(value)} placeholder=${placeholder} aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${described} @input=${change} />`;
  }
  return html`<div class="field">
    <label for=${id}>${name}</label>${control}
    <small id="${id}-help" class="muted">${schema.description ?? ''}</small>
    ${problem ? html`<small id="${id}-error" class="field-error" role="alert">${problem}</small>` : nothing}
  </div>`;
}

export function schemaForm(schema: JsonSchema, values: Values, problems: Record<string, string>, onInput: (name: string, value: unknown) => void): TemplateResult {
  const properties = Object.entries(schema.properties ?? {});
  if (!properties.length) return html`<p class="muted">This job type takes no parameters.</p>`;
  return html`${properties.map(([name, property]) => field(name, property, values[name], problems[name], onInput))}`;
}
