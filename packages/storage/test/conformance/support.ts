import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { MeridianError, type ErrorCode } from '@meridian/core';
import type { BlobStore, ListPage, Zone } from '../../src/index.ts';

/** What each part of the conformance suite gets: the store under test and fresh containers. */
export interface Conformance {
  /** Made in the suite's before(); read it inside tests only. */
  readonly store: BlobStore;
  /** A container no other test uses (created by the first put). */
  fresh(zone?: Zone): string;
}

export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, label?: string): Promise<MeridianError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MeridianError, `${label ?? ''}: expected MeridianError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, `${label ?? ''}: ${error.message}`);
    return error;
  }
  assert.fail(`${JSON.stringify(label ?? '')}: expected ${code}, but it succeeded`);
}

export async function allPages(store: BlobStore, container: string, opts: { prefix?: string; delimiter?: '/'; limit: number }): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let token: string | null = null;
  do {
    const page: ListPage = await store.list(container, { ...opts, ...(token === null ? {} : { token }) });
    pages.push(page);
    token = page.nextToken;
    assert.ok(pages.length < 100, 'paging must end');
  } while (token !== null);
  return pages;
}

/** A deterministic pseudo-random body of `size` bytes in 64 KiB chunks. */
export function generated(size: number, onChunk?: (chunk: Buffer) => void): Readable {
  let sent = 0;
  let seed = 1;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(Math.min(64 * 1024, size - sent));
      for (let i = 0; i < chunk.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        chunk[i] = seed >>> 24;
      }
      sent += chunk.length;
      onChunk?.(chunk);
      this.push(chunk);
    },
  });
}

/** Sends `size` bytes, then either fails with `error` or stalls like a client that stopped sending. */
export function stalled(size: number, error?: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent < size) {
        const chunk = Buffer.alloc(64 * 1024, 7);
        sent += chunk.length;
        this.push(chunk);
      } else if (error !== undefined) {
        this.destroy(error);
      }
    },
  });
}
