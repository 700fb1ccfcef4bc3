import { MeridianError } from '@meridian/core';
import type { ByteRange, RangeRequest } from './blob-store.ts';

/**
 * Range rules shared by every adapter, following HTTP (RFC 9110): the end is clipped to the blob,
 * but a range that starts at or past the end, or any range on an empty blob, cannot be satisfied.
 * The error carries the size, which the HTTP layer puts in the 416 response's Content-Range header.
 */
export function assertRangeRequest(range: RangeRequest): void {
  if (!Number.isSafeInteger(range.start) || range.start < 0) {
    throw new MeridianError('INVALID_RANGE', `The range start must be a non-negative integer, not ${range.start}.`);
  }
  if (range.end !== undefined && (!Number.isSafeInteger(range.end) || range.end < range.start)) {
    throw new MeridianError('INVALID_RANGE', `The range end must be an integer not below the start (${range.start}), not ${range.end}.`);
  }
}

export function resolveRange(range: RangeRequest, size: number): ByteRange {
  assertRangeRequest(range);
  if (range.start >= size) throw unsatisfiable(range.start, size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

export function unsatisfiable(start: number, size: number): MeridianError {
  return new MeridianError('INVALID_RANGE', `The range starts at byte ${start} but the blob has ${size} bytes.`, { size });
}

/** readRange(start, length) as an inclusive range request; a zero length is a caller bug, not an empty read. */
export function readRangeRequest(start: number, length: number): RangeRequest {
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new MeridianError('INVALID_RANGE', `The read length must be a positive integer, not ${length}.`);
  }
  return { start, end: start + length - 1 };
}
