import { MeridianError } from '@meridian/core';
import type { BlobRef } from './blob-store.ts';

/**
 * Names every adapter and the HTTP layer accept. The rules are Azure's container rules plus our zones,
 * and key rules strict enough that a key is always a safe relative path on a filesystem too.
 */
export const ZONES = ['bronze', 'silver', 'external'] as const;
export type Zone = (typeof ZONES)[number];

export const MAX_KEY_LENGTH = 1024;

// 3–63 characters; lower-case letters, digits and single hyphens; starts and ends with a letter or digit.
const CONTAINER_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
const CONTROL_CHARACTER = /\p{Cc}/u;
// A surrogate half without its partner cannot be encoded as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function containerProblem(name: string): string | null {
  if (!CONTAINER_PATTERN.test(name)) {
    return 'must be 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit';
  }
  if (!ZONES.some((zone) => name.startsWith(`${zone}-`))) return `must start with a zone prefix (${ZONES.map((z) => `${z}-`).join(', ')})`;
  return null;
}

export function isValidContainer(name: string): boolean {
  return typeof name === 'string' && containerProblem(name) === null;
}

export function assertContainer(name: string): void {
  if (typeof name !== 'string') throw new MeridianError('INVALID_CONTAINER_NAME', 'The container name must be a string.');
  const problem = containerProblem(name);
  if (problem !== null) {
    throw new MeridianError('INVALID_CONTAINER_NAME', `Container name "${name}" ${problem}.`, { container: name });
  }
}

export function zoneOf(container: string): Zone {
  assertContainer(container);
  // A valid name starts with "<zone>-" and no zone contains a hyphen, so the first hyphen ends the zone.
  return container.slice(0, container.indexOf('-')) as Zone;
}

/** Problems shared by keys and prefixes: the characters and the overall length. */
function textProblem(text: string): string | null {
  if (text.length > MAX_KEY_LENGTH) return `is ${text.length} characters long; the limit is ${MAX_KEY_LENGTH}`;
  if (text.startsWith('/')) return 'must not start with "/"';
  if (text.includes('\\')) return 'must not contain "\\"';
  if (CONTROL_CHARACTER.test(text)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(text)) return 'is not valid UTF-8 (it contains an unpaired surrogate)';
  return null;
}

function segmentProblem(segment: string): string | null {
  if (segment === '') return 'must not contain empty segments ("//" or a trailing "/")';
  if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
  return null;
}

function keyProblem(key: string): string | null {
  if (key === '') return 'must not be empty';
  const problem = textProblem(key);
  if (problem !== null) return problem;
  for (const segment of key.split('/')) {
    const segmentIssue = segmentProblem(segment);
    if (segmentIssue !== null) return segmentIssue;
  }
  return null;
}

export function isValidKey(key: string): boolean {
  return typeof key === 'string' && keyProblem(key) === null;
}

/** True when `name` can be one '/'-separated part of a key (used when reading directories back). */
export function isValidKeySegment(name: string): boolean {
  return !name.includes('/') && segmentProblem(name) === null && textProblem(name) === null;
}

export function assertKey(key: string): void {
  if (typeof key !== 'string') throw new MeridianError('INVALID_BLOB_KEY', 'The blob key must be a string.');
  const problem = keyProblem(key);
  if (problem !== null) throw new MeridianError('INVALID_BLOB_KEY', `Blob key ${describe(key)} ${problem}.`, { key: printable(key) });
}

export function assertRef(ref: BlobRef): void {
  assertContainer(ref.container);
  assertKey(ref.key);
}

/**
 * A list or delete prefix is the start of a key: it may be empty, may end with '/', and its last
 * segment may be partial (so "a/." matches "a/.hidden"), but every complete segment follows key rules.
 */
export function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new MeridianError('INVALID_BLOB_KEY', 'The prefix must be a string.');
  const problem = textProblem(prefix) ?? completeSegmentsProblem(prefix);
  if (problem !== null) throw new MeridianError('INVALID_BLOB_KEY', `Prefix ${describe(prefix)} ${problem}.`, { prefix: printable(prefix) });
}

function completeSegmentsProblem(prefix: string): string | null {
  const segments = prefix.split('/');
  segments.pop();
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem !== null) return problem;
  }
  return null;
}

// Error messages quote the key, so control characters are escaped and long keys shortened.
function printable(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

function describe(text: string): string {
  return `"${printable(text)}"`;
}
