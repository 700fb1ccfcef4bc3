import { Value } from 'typebox/value';
import { MeridianError } from '@meridian/core';
import type { JobTypeDeclaration } from './job-type.ts';
import { jobIdFor } from './job-id.ts';

export interface ValidSubmission {
  declaration: JobTypeDeclaration;
  /** The parameters with the schema's defaults filled in. */
  parameters: Record<string, unknown>;
  jobId: string;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function pathName(instancePath: string): string {
  return instancePath.replace(/^\//, '').split('/').join('.');
}

/** Turns the first schema error into a message naming the parameter (TypeBox's own wording otherwise). */
function describe(errors: SchemaError[], accepted: string[]): { parameter: string; message: string } {
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  if (extra) {
    const names = (extra.params.additionalProperties as string[] | undefined) ?? [];
    const parameter = [extra.instancePath ? pathName(extra.instancePath) : '', names[0] ?? ''].filter(Boolean).join('.');
    return { parameter, message: `unknown parameter "${parameter}"; accepted: ${accepted.join(', ')}` };
  }
  const required = errors.find((e) => e.keyword === 'required');
  if (required) {
    const names = (required.params.requiredProperties as string[] | undefined) ?? [];
    const parameter = names[0] ?? pathName(required.instancePath);
    return { parameter, message: `parameter "${parameter}" is required` };
  }
  const first = errors[0]!;
  const parameter = pathName(first.instancePath);
  return { parameter, message: `parameter "${parameter}" ${first.message}` };
}

/**
 * The registered job types. Validation uses `typebox/value` (the engine's one validator): defaults are
 * filled in first, so the job id of `{}` and of the same parameters spelled out is the same.
 */
export class JobCatalog {
  private readonly types = new Map<string, JobTypeDeclaration>();

  constructor(declarations: Iterable<JobTypeDeclaration> = []) {
    for (const d of declarations) this.register(d);
  }

  register(declaration: JobTypeDeclaration): void {
    if (this.types.has(declaration.name)) throw new Error(`job type ${declaration.name} is registered twice`);
    this.types.set(declaration.name, declaration);
  }

  list(): JobTypeDeclaration[] {
    return [...this.types.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): JobTypeDeclaration {
    const declaration = this.types.get(name);
    if (!declaration) {
      throw new MeridianError('JOB_TYPE_UNKNOWN', `there is no job type "${name}"; known: ${[...this.types.keys()].sort().join(', ')}`, { job_type: name });
    }
    return declaration;
  }

  validate(name: string, raw: unknown): ValidSubmission {
    const declaration = this.get(name);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new MeridianError('JOB_PARAMETERS_INVALID', 'the parameters must be a JSON object', { parameter: '' });
    }
    const schema = declaration.parameters;
    const parameters = Value.Default(schema, structuredClone(raw)) as Record<string, unknown>;
    if (!Value.Check(schema, parameters)) {
      const { parameter, message } = describe([...Value.Errors(schema, parameters)] as SchemaError[], Object.keys(schema.properties));
      throw new MeridianError('JOB_PARAMETERS_INVALID', message, { parameter, job_type: name });
    }
    return { declaration, parameters, jobId: jobIdFor(name, parameters) };
  }
}
