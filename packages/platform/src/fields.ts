import { MeridianError } from '@meridian/core';

/** Small readers for untrusted JSON bodies: each failure is a 400 that names the field. */
export type Body = Record<string, unknown>;

export function invalid(field: string, problem: string): MeridianError {
  return new MeridianError('VALIDATION_ERROR', `${field}: ${problem}`, { field });
}

export function asObject(value: unknown, field: string): Body {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be a JSON object');
  return value as Body;
}

/** Unknown keys are refused, naming the first one and listing the accepted ones. */
export function rejectUnknown(body: Body, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw new MeridianError('UNKNOWN_PARAMETER', `Unknown field '${unknown}' in ${where}. Valid fields: ${allowed.join(', ')}`, {
      field: unknown,
      valid_fields: [...allowed],
    });
  }
}

export function optionalString(body: Body, field: string, options: { max?: number; prefix?: string } = {}): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const name = `${options.prefix ?? ''}${field}`;
  if (typeof value !== 'string') throw invalid(name, 'must be a string');
  if (options.max !== undefined && value.length > options.max) throw invalid(name, `must be at most ${options.max} characters`);
  return value;
}

export function requiredString(body: Body, field: string, options: { max?: number; prefix?: string } = {}): string {
  const value = optionalString(body, field, options);
  if (value === null || value.trim() === '') throw invalid(`${options.prefix ?? ''}${field}`, 'is required');
  return value;
}

/** Booleans also arrive as the strings "true" and "false" from form-minded clients. */
export function optionalBoolean(body: Body, field: string, prefix = ''): boolean | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalid(`${prefix}${field}`, 'must be true or false');
}

export function optionalInteger(body: Body, field: string, min: number, max: number, prefix = ''): number | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${prefix}${field}`, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function optionalStringArray(body: Body, field: string, prefix = ''): string[] | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw invalid(`${prefix}${field}`, 'must be an array of strings');
  return value;
}

export function optionalEnum<T extends string>(body: Body, field: string, allowed: readonly T[], prefix = ''): T | null {
  const value = optionalString(body, field, { prefix });
  if (value === null) return null;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`${prefix}${field}`, `must be one of ${allowed.join(', ')}; got '${value}'`);
  return value as T;
}
