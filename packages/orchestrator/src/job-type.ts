import type { Static, TObject } from 'typebox';

/**
 * How a stage turns the previous stage's results into tasks:
 * - `single`: one task, given the job parameters only;
 * - `fan_out`: one task per item — the previous stage's results, with array results spread into their
 *   elements (for a first stage, the items the job type derives from its parameters);
 * - `fan_in`: one task given every result of the previous stage as `items`.
 */
export type FanRule = 'single' | 'fan_out' | 'fan_in';

export interface StageDeclaration {
  name: string;
  taskType: string;
  fan: FanRule;
  /** When true, a task that fails for good does not fail the job: the job ends `completed_with_errors`. */
  allowFailures?: boolean;
}

/**
 * A job type, declared as data: the API validates submissions against it without loading any handler.
 * `initialItems` derives the first stage's fan-out items from the parameters (pure and cheap).
 */
export interface JobTypeDeclaration<P extends TObject = TObject> {
  name: string;
  version: number;
  description: string;
  parameters: P;
  stages: readonly StageDeclaration[];
  /** Retries of a task failing with a transient error (default 3). */
  maxRetries?: number;
  initialItems?(parameters: Static<P>): unknown[];
}

/** The stage plan as stored on the job row (snake_case JSON). */
export interface StagePlan {
  name: string;
  task_type: string;
  fan: FanRule;
  allow_failures: boolean;
}

export const DEFAULT_MAX_RETRIES = 3;
const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Checks a declaration's shape once, at registration, so a mistake fails start-up rather than a job. */
export function defineJobType<P extends TObject>(declaration: JobTypeDeclaration<P>): JobTypeDeclaration<P> {
  const { name, stages } = declaration;
  if (!NAME.test(name)) throw new Error(`job type name "${name}" must be lower-case letters, digits and "_"`);
  if (stages.length === 0) throw new Error(`job type ${name} declares no stages`);
  for (const stage of stages) {
    if (!NAME.test(stage.taskType)) throw new Error(`job type ${name}: task type "${stage.taskType}" must be lower-case letters, digits and "_"`);
  }
  const first = stages[0]!;
  if (first.fan === 'fan_in') throw new Error(`job type ${name}: the first stage cannot fan in (there is nothing before it)`);
  if (first.fan === 'fan_out' && !declaration.initialItems) throw new Error(`job type ${name}: a first stage that fans out needs initialItems`);
  return declaration;
}

export function stagePlan(declaration: JobTypeDeclaration): StagePlan[] {
  return declaration.stages.map((s) => ({ name: s.name, task_type: s.taskType, fan: s.fan, allow_failures: s.allowFailures ?? false }));
}

/** The items the first stage is built from (fan-out items, or none). */
export function firstStageItems(declaration: JobTypeDeclaration, parameters: Record<string, unknown>): unknown[] {
  return declaration.stages[0]!.fan === 'fan_out' && declaration.initialItems ? declaration.initialItems(parameters) : [];
}
