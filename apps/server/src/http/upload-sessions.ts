/**
 * Resumable, chunked uploads on top of any BlobStore. A session is a small JSON manifest and its parts
 * are ordinary blobs, all in one reserved staging container, so API processes stay stateless (any of
 * them may receive any part) and the same code serves file and Azure storage. Completing streams the
 * parts in order into one `put`, which makes the blob appear whole or not at all; then the parts go.
 * Aborted and expired sessions (swept whenever a session is created) leave nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { MeridianError, isMeridianError } from '@meridian/core';
import { assertContainer, assertKey, type BlobInfo, type BlobRef, type BlobStore } from '@meridian/storage';

/** Holds every session's manifest and parts; hidden from the storage API's listings and blob routes. */
export const UPLOAD_STAGING_CONTAINER = 'bronze-upload-sessions';
export const MIN_PART_BYTES = 1024 * 1024;
export const MAX_PART_BYTES = 64 * 1024 * 1024;
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
export const MAX_PARTS = 10_000;
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const MANIFEST_LIMIT = 64 * 1024;
const SWEEP_PAGE = 1000;

export interface UploadSession {
  upload_id: string;
  container: string;
  key: string;
  size: number;
  part_size: number;
  part_count: number;
  content_type: string | null;
  created_at: string;
  expires_at: string;
}

export interface NewUpload {
  container: string;
  key: string;
  size: number;
  partSize?: number;
  contentType?: string;
}

export interface UploadLimits {
  maxUploadBytes: number;
  ttlSeconds: number;
}

const manifestRef = (id: string): BlobRef => ({ container: UPLOAD_STAGING_CONTAINER, key: `sessions/${id}.json` });
const partsPrefix = (id: string) => `parts/${id}/`;
// Zero-padded so the store's key order is the part order.
const partRef = (id: string, part: number): BlobRef => ({ container: UPLOAD_STAGING_CONTAINER, key: `${partsPrefix(id)}${String(part).padStart(5, '0')}` });

/** The byte count part `part` must have: part_size, except the last, which holds the rest. */
export function expectedPartSize(session: UploadSession, part: number): number {
  return part < session.part_count - 1 ? session.part_size : session.size - session.part_size * (session.part_count - 1);
}

export class UploadSessions {
  constructor(
    private readonly store: BlobStore,
    private readonly limits: UploadLimits,
  ) {}

  async create(request: NewUpload, now = new Date()): Promise<UploadSession> {
    assertContainer(request.container);
    assertKey(request.key);
    if (request.container === UPLOAD_STAGING_CONTAINER) {
      throw new MeridianError('INVALID_CONTAINER_NAME', `${UPLOAD_STAGING_CONTAINER} is reserved for upload sessions`);
    }
    if (request.size > this.limits.maxUploadBytes) {
      throw new MeridianError('PAYLOAD_TOO_LARGE', `the upload declares ${request.size} bytes; the limit is ${this.limits.maxUploadBytes}`);
    }
    const partSize = request.partSize ?? DEFAULT_PART_BYTES;
    const partCount = Math.max(1, Math.ceil(request.size / partSize));
    if (partCount > MAX_PARTS) {
      throw new MeridianError('VALIDATION_ERROR', `${request.size} bytes in parts of ${partSize} makes ${partCount} parts; at most ${MAX_PARTS} are allowed, so choose a larger part_size`, { field: 'part_size' });
    }
    await this.sweep(now);
    const session: UploadSession = {
      upload_id: randomUUID().replaceAll('-', ''),
      container: request.container,
      key: request.key,
      size: request.size,
      part_size: partSize,
      part_count: partCount,
      content_type: request.contentType ?? null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.limits.ttlSeconds * 1000).toISOString(),
    };
    await this.store.put(manifestRef(session.upload_id), JSON.stringify(session), { contentType: 'application/json' });
    return session;
  }

  /** The session; UPLOAD_NOT_FOUND when it never existed, was completed, aborted, or has expired. */
  async get(id: string, now = new Date()): Promise<UploadSession> {
    if (!UPLOAD_ID.test(id)) throw new MeridianError('UPLOAD_NOT_FOUND', `no upload ${id}`);
    let text: string;
    try {
      text = (await this.store.readRange(manifestRef(id), 0, MANIFEST_LIMIT)).toString('utf8');
    } catch (error) {
      if (isMeridianError(error) && error.code === 'BLOB_NOT_FOUND') throw new MeridianError('UPLOAD_NOT_FOUND', `no upload ${id}`);
      throw error;
    }
    const session = JSON.parse(text) as UploadSession;
    if (new Date(session.expires_at) <= now) {
      await this.abort(id);
      throw new MeridianError('UPLOAD_NOT_FOUND', `upload ${id} expired at ${session.expires_at}`);
    }
    return session;
  }

  /** The parts that have arrived, by ordinal, with their sizes. */
  async received(id: string): Promise<Map<number, number>> {
    const parts = new Map<number, number>();
    let token: string | undefined;
    do {
      const page = await this.store.list(UPLOAD_STAGING_CONTAINER, { prefix: partsPrefix(id), limit: 5000, ...(token ? { token } : {}) });
      for (const item of page.items) parts.set(Number(item.key.slice(partsPrefix(id).length)), item.size);
      token = page.nextToken ?? undefined;
    } while (token);
    return parts;
  }

  /** Stores one part (again, if it was sent before: a retry replaces it); it must have exactly its size. */
  async putPart(id: string, part: number, body: Readable, declaredLength: number | null): Promise<{ part: number; size: number }> {
    const session = await this.get(id);
    if (!Number.isInteger(part) || part < 0 || part >= session.part_count) {
      throw new MeridianError('UPLOAD_PART_INVALID', `part ${part} does not exist: this upload has parts 0 to ${session.part_count - 1}`);
    }
    const expected = expectedPartSize(session, part);
    if (declaredLength !== null && declaredLength !== expected) {
      throw new MeridianError('UPLOAD_PART_INVALID', `part ${part} must have ${expected} bytes; the request declares ${declaredLength}`, { expected_size: expected });
    }
    const ref = partRef(id, part);
    let info: BlobInfo;
    try {
      info = await this.store.put(ref, body, { maxBytes: expected });
    } catch (error) {
      if (isMeridianError(error) && error.code === 'PAYLOAD_TOO_LARGE') {
        throw new MeridianError('UPLOAD_PART_INVALID', `part ${part} is larger than its ${expected} bytes`, { expected_size: expected });
      }
      throw error;
    }
    if (info.size !== expected) {
      await this.store.delete(ref);
      throw new MeridianError('UPLOAD_PART_INVALID', `part ${part} has ${info.size} bytes; it must have ${expected}`, { expected_size: expected });
    }
    return { part, size: info.size };
  }

  /** Assembles the blob from every part, atomically, then removes the session. */
  async complete(id: string): Promise<BlobInfo> {
    const session = await this.get(id);
    const parts = await this.received(id);
    const missing: number[] = [];
    for (let part = 0; part < session.part_count; part++) {
      if (parts.get(part) !== expectedPartSize(session, part)) missing.push(part);
    }
    if (missing.length) {
      throw new MeridianError('UPLOAD_INCOMPLETE', `parts ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} have not arrived (${missing.length} of ${session.part_count})`, { missing: missing.slice(0, 1000) });
    }
    const info = await this.store.put({ container: session.container, key: session.key }, Readable.from(this.concatenated(session)), {
      maxBytes: session.size,
      ...(session.content_type ? { contentType: session.content_type } : {}),
    });
    await this.abort(id);
    return info;
  }

  /** Removes the parts and the manifest; true when the session existed. */
  async abort(id: string): Promise<boolean> {
    if (!UPLOAD_ID.test(id)) return false;
    await this.store.deletePrefix(UPLOAD_STAGING_CONTAINER, partsPrefix(id));
    return this.store.delete(manifestRef(id));
  }

  /** Aborts sessions created longer than the time-to-live ago (a page at a time, oldest keys first). */
  async sweep(now = new Date()): Promise<number> {
    const page = await this.store.list(UPLOAD_STAGING_CONTAINER, { prefix: 'sessions/', limit: SWEEP_PAGE });
    const cutoff = now.getTime() - this.limits.ttlSeconds * 1000;
    let swept = 0;
    for (const item of page.items) {
      if (item.lastModified.getTime() > cutoff) continue;
      if (await this.abort(item.key.slice('sessions/'.length, -'.json'.length))) swept++;
    }
    return swept;
  }

  private async *concatenated(session: UploadSession): AsyncGenerator<Buffer> {
    for (let part = 0; part < session.part_count; part++) {
      const { body } = await this.store.get(partRef(session.upload_id, part));
      for await (const chunk of body) yield chunk as Buffer;
    }
  }
}
