/** What the platform's HTTP tests share: an app under OIDC with role headers, and waiting for jobs and releases. */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Worker } from '@meridian/orchestrator';
import { writeGeoTiff, type GeneratedRaster } from '../../../fixtures/raster-fixtures.ts';
import { startWorker } from '../src/job-engine.ts';
import { oidcEnv, signingKey, token, writeJwksFile, type SigningKey } from './auth-keys.ts';
import { createTestApp, type TestApp } from './support.ts';

export type Role = 'anonymous' | 'reader' | 'submitter' | 'reviewer';
export type RoleHeaders = Record<Role, Record<string, string>>;

export async function headersFor(key: SigningKey, role: Role): Promise<Record<string, string>> {
  if (role === 'anonymous') return {};
  return { authorization: `Bearer ${await token(key, { roles: [role], azp: 'ddh', sub: role })}` };
}

export interface PlatformTestApp extends TestApp {
  /** The headers of every role, signed with the app's OIDC key. */
  as: RoleHeaders;
  /** Writes a generated GeoTIFF and uploads it to the bronze-uploads container under `key`. */
  uploadGeoTiff(key: string, raster: GeneratedRaster): Promise<void>;
  /** Starts the app's worker (once): queued jobs run from now on. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
}

/** A test app under MERIDIAN_AUTH=oidc, public URL http://meridian.test; close() also stops its worker. */
export async function platformTestApp(keyId: string): Promise<PlatformTestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-platform-'));
  const key = await signingKey(keyId);
  const roles = ['anonymous', 'reader', 'submitter', 'reviewer'] as const;
  const as = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await headersFor(key, role)] as const))) as RoleHeaders;
  const t = await createTestApp({ env: { ...oidcEnv(await writeJwksFile(dir, [key])), MERIDIAN_WORKER_POLL_MS: '50', MERIDIAN_PUBLIC_URL: 'http://meridian.test' } });
  let worker: Worker | null = null;
  const stopWorker = async () => {
    await worker?.stop();
    worker = null;
  };
  return {
    ...t,
    as,
    async uploadGeoTiff(key, raster) {
      const path = await writeGeoTiff(join(dir, basename(key)), raster);
      await t.runtime.store.put({ container: 'bronze-uploads', key }, createReadStream(path));
    },
    async startWorker() {
      worker ??= await startWorker(t.runtime, { concurrency: 2 });
    },
    stopWorker,
    async close() {
      await stopWorker();
      await t.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForJob(t: TestApp, auth: Record<string, string>, jobId: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { status } = (await t.app.inject({ method: 'GET', url: `/api/jobs/${jobId}`, headers: auth })).json() as { status: string };
    if (!['queued', 'processing'].includes(status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The path and query of an absolute URL the API handed out, for app.inject. */
export function local(url: string): string {
  return new URL(url).pathname + new URL(url).search;
}

export async function waitForStatus(t: TestApp, auth: Record<string, string>, id: string, done: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await t.app.inject({ method: 'GET', url: `/api/platform/status/${id}`, headers: auth });
    const body = response.json() as Record<string, unknown>;
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`status never settled: ${response.body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The release's processing has ended (completed or failed). */
export function processed(body: Record<string, unknown>): boolean {
  return !['pending', 'processing'].includes((body.release as Record<string, string>).processing_status!);
}
