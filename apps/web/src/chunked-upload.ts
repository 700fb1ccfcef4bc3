/**
 * Large files go up in parts through the server's resumable upload sessions (/api/storage/uploads):
 * a failed part is sent again a few times with a growing pause, and if it keeps failing the session
 * stays open so the upload can be resumed later (also after a reload, by choosing the same file again),
 * sending only the parts that have not arrived.
 */
import { ApiError, api, putWithProgress, type UploadProgress } from './api.ts';
import type { BlobInfo } from './types.ts';

/** Files above this size are chunked; it is also the part size asked for. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
const ATTEMPTS = 3;
const RETRY_PAUSE_MS = 500;

export interface UploadSession {
  upload_id: string;
  size: number;
  part_size: number;
  part_count: number;
  received: number[];
  received_bytes: number;
}

export interface ChunkEvents {
  onProgress(progress: UploadProgress): void;
  /** The session exists (to resume it after a failure). */
  onSession(session: UploadSession): void;
  /** A part failed and is sent again. */
  onRetry(part: number, attempt: number, error: unknown): void;
}

/** Network failures, server errors and throttling are worth another attempt; a refused part is not. */
function retryable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500);
}

const sessionPath = (id: string) => `/api/storage/uploads/${id}`;

async function sendPart(file: Blob, session: UploadSession, part: number, base: number, events: ChunkEvents): Promise<number> {
  const start = part * session.part_size;
  const body = file.slice(start, Math.min(start + session.part_size, session.size));
  for (let attempt = 1; ; attempt++) {
    try {
      await putWithProgress(`${sessionPath(session.upload_id)}/parts/${part}`, body, 'application/octet-stream', (p) =>
        events.onProgress({ loaded: base + p.loaded, total: session.size }));
      return body.size;
    } catch (error) {
      // Bytes of a failed part do not count: the bar shows what the server has.
      events.onProgress({ loaded: base, total: session.size });
      if (attempt >= ATTEMPTS || !retryable(error)) throw error;
      events.onRetry(part, attempt + 1, error);
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * attempt));
    }
  }
}

/**
 * Open sessions by file and target, in localStorage: choosing the same file (name, size, modification
 * time) for the same target after a reload or a crash resumes its session instead of starting over.
 */
const REMEMBERED_KEY = 'meridian.uploads';

function fileTag(container: string, key: string, file: File): string {
  return JSON.stringify([container, key, file.name, file.size, file.lastModified]);
}

function remembered(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(REMEMBERED_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

function remember(tag: string, id: string): void {
  localStorage.setItem(REMEMBERED_KEY, JSON.stringify({ ...remembered(), [tag]: id }));
}

function forget(id: string): void {
  localStorage.setItem(REMEMBERED_KEY, JSON.stringify(Object.fromEntries(Object.entries(remembered()).filter(([, known]) => known !== id))));
}

/** The session to continue (`resumeId`, else the one remembered for this file), or a new one. */
async function openSession(container: string, key: string, file: File, resumeId?: string): Promise<UploadSession> {
  const tag = fileTag(container, key, file);
  const known = resumeId ?? remembered()[tag];
  if (known) {
    try {
      const open = await api<UploadSession>(sessionPath(known));
      if (open.size === file.size) return open;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'UPLOAD_NOT_FOUND')) throw error;
    }
  }
  const session = await api<UploadSession>('/api/storage/uploads', {
    method: 'POST',
    body: { container, key, size: file.size, part_size: CHUNK_BYTES, ...(file.type ? { content_type: file.type } : {}) },
  });
  remember(tag, session.upload_id);
  return session;
}

/**
 * Uploads `file` to container/key in parts, continuing an open session for it (sending only the parts
 * it lacks), then completes it; the blob appears only when every part has arrived.
 */
export async function chunkedUpload(container: string, key: string, file: File, events: ChunkEvents, resumeId?: string): Promise<BlobInfo> {
  const session = await openSession(container, key, file, resumeId);
  events.onSession(session);
  const arrived = new Set(session.received);
  let loaded = session.received_bytes;
  events.onProgress({ loaded, total: session.size });
  for (let part = 0; part < session.part_count; part++) {
    if (arrived.has(part)) continue;
    loaded += await sendPart(file, session, part, loaded, events);
  }
  const blob = await api<BlobInfo>(`${sessionPath(session.upload_id)}/complete`, { method: 'POST' });
  forget(session.upload_id);
  return blob;
}
