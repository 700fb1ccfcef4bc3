/**
 * The one way the UI talks to Meridian: fetch against /api with the pasted bearer token (kept in
 * sessionStorage, so it dies with the tab), and errors turned into ApiError with the catalog's
 * message and remedy.
 */
import type { BlobInfo } from './types.ts';

const TOKEN_KEY = 'meridian.token';
const NOT_OFFERED = 'API_NOT_OFFERED';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly remedy: string | null,
    readonly body: unknown,
  ) {
    super(message);
  }

  /** The server does not offer this API (not built yet, or not exposed in this mode). */
  get missing(): boolean {
    return this.code === NOT_OFFERED;
  }
}

/** Reads the error envelopes Meridian uses: the catalog body, the B2B envelope and OGC exceptions. */
export function toApiError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as Record<string, unknown>;
  const nested = (typeof b.error === 'object' && b.error !== null ? b.error : b) as Record<string, unknown>;
  const code = String(nested.code ?? b.error_type ?? `HTTP_${status}`);
  const message = String(nested.message ?? nested.description ?? b.description ?? `The server answered ${status}`);
  const remedy = typeof nested.remedy === 'string' ? nested.remedy : null;
  return new ApiError(status, code, message, remedy, body);
}

async function readBody(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (response.status === 204) return null;
  if (type.includes('json')) return response.json();
  return response.text();
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
}

let offered: Promise<Set<string>> | null = null;

/**
 * The API surfaces (`/api/<surface>`) this server offers, from its OpenAPI document. Pages ask before
 * calling an API that may not exist here, so a missing one shows a notice instead of a failed request.
 */
function offeredSurfaces(): Promise<Set<string>> {
  offered ??= fetch('/api/openapi.json', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Record<string, unknown> }>) : { paths: {} }))
    .then((doc) => new Set(Object.keys(doc.paths ?? {}).map((p) => p.split('/')[2] ?? '')));
  return offered;
}

function surfaceOf(path: string): string {
  return new URL(path, location.origin).pathname.split('/')[2] ?? '';
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (!(await offeredSurfaces()).has(surfaceOf(path))) {
    throw new ApiError(404, NOT_OFFERED, `this server does not offer ${path.split('?')[0]}`, null, null);
  }
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal ?? null });
  const data = await readBody(response);
  if (!response.ok) throw toApiError(response.status, data);
  return data as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** An encoded storage path: each key segment escaped, the slashes kept. */
export function blobPath(container: string, key: string): string {
  return `/api/storage/${encodeURIComponent(container)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Sends `body` with one PUT and reports upload progress. XHR (not fetch) because only XHR reports upload
 * progress; the browser reads a file from disk as it sends, so size is bounded by the server's limit only.
 */
export function putWithProgress(path: string, body: Blob, contentType: string, onProgress: (p: UploadProgress) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : body.size });
    xhr.onload = () => {
      let data: unknown = xhr.responseText;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // A non-JSON body (a proxy's error page) is reported as text.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(toApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload could not reach the server', 'Check the connection and try again.', null));
    xhr.send(body);
  });
}

/** Streams a file to storage with one PUT. */
export function uploadBlob(container: string, key: string, file: Blob, onProgress: (p: UploadProgress) => void): Promise<unknown> {
  return putWithProgress(blobPath(container, key), file, file.type || 'application/octet-stream', onProgress);
}

/** One page of a container's listing, folders first-class (delimiter "/"). */
export interface BlobPage {
  items: BlobInfo[];
  prefixes: string[];
  next_token: string | null;
}

export function listBlobs(container: string, prefix: string, token: string | undefined, signal?: AbortSignal): Promise<BlobPage> {
  return api<BlobPage>(`/api/storage/${encodeURIComponent(container)}${query({ prefix, delimiter: '/', limit: 100, token })}`, signal ? { signal } : {});
}
