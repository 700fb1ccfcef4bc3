import { MeridianError } from '@meridian/core';

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a single-range `Range: bytes=…` header against an object of `size` bytes. Returns null when
 * there is no usable range (absent, multi-range or malformed: the whole object is served, as RFC 9110
 * allows); throws INVALID_RANGE when the range cannot be satisfied.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw new MeridianError('INVALID_RANGE', `range ${header} asks for no bytes`, { size });
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) throw new MeridianError('INVALID_RANGE', `range ${header} is outside the object of ${size} bytes`, { size });
  return { start, end };
}
