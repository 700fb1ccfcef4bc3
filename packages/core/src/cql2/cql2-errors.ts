/**
 * CQL2_INVALID errors that point at the problem: a 0-based character offset for text (`position`, the same
 * convention as JSON.parse), a JSON Pointer for JSON (`path`).
 */
import { MeridianError } from '../meridian-error.ts';

export function textError(detail: string, position: number): MeridianError {
  return new MeridianError('CQL2_INVALID', `${detail} at ${position}`, { position });
}

export function jsonError(detail: string, path: string): MeridianError {
  return new MeridianError('CQL2_INVALID', `${detail} at ${path === '' ? 'the top level' : path}`, { path });
}

/** User text as quoted in a message, cut short so a 64 KiB name or value cannot balloon errors and logs. */
export function excerpt(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
