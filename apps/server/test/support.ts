import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@meridian/config';
import { createTestDb, type TestDb } from '@meridian/db/testing';
import type { DbKind } from '@meridian/db';
import { openBlobStore } from '@meridian/storage';
import { buildApp, type App } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { VERSION, type Runtime } from '../src/runtime.ts';
import type { ExposureMode } from '../src/modes.ts';
import type { InjectOptions } from 'fastify';
import { oidcEnv, signingKey, token, writeJwksFile } from './auth-keys.ts';

export interface TestApp {
  app: App;
  runtime: Runtime;
  testDb: TestDb;
  home: string;
  /** With `as`: the Authorization header every injected request carries (for external clients too). */
  authorization: string | null;
  close(): Promise<void>;
}

/**
 * `as: 'reader'` runs the app with MERIDIAN_AUTH=oidc and signs every injected request as a signed-in
 * reader (sees served data only), so tests of a read surface see what a real reader sees rather than what
 * the all-powerful MERIDIAN_AUTH=off caller sees.
 */
export interface TestAppOptions {
  kind?: DbKind;
  mode?: ExposureMode;
  env?: Record<string, string>;
  as?: 'reader';
}

async function readerAuth(home: string): Promise<{ env: Record<string, string>; authorization: string }> {
  const key = await signingKey('test-reader');
  return { env: oidcEnv(await writeJwksFile(home, [key])), authorization: `Bearer ${await token(key, { roles: ['reader'] })}` };
}

function injectWithAuthorization(app: App, authorization: string): void {
  const inject = app.inject.bind(app);
  const signed = (options: string | InjectOptions) => {
    const request = typeof options === 'string' ? { url: options } : options;
    return inject({ ...request, headers: { authorization, ...request.headers } });
  };
  Object.assign(app, { inject: signed });
}

/** A real app on a real (cloned) database and a temporary file store, driven through `app.inject`. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const home = await mkdtemp(join(tmpdir(), 'meridian-app-'));
  const testDb = await createTestDb(options.kind ?? 'postgres');
  const auth = options.as ? await readerAuth(home) : null;
  const config = loadConfig({ MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'silent', ...auth?.env, ...options.env }, process.cwd());
  const runtime: Runtime = {
    config,
    log: createLogger(config.logLevel),
    db: testDb.db,
    store: openBlobStore(config.storage),
    startedAt: new Date(),
    version: VERSION,
  };
  const app = await buildApp({ runtime, mode: options.mode ?? 'full' });
  await app.ready();
  if (auth) injectWithAuthorization(app, auth.authorization);
  return {
    app,
    runtime,
    testDb,
    home,
    authorization: auth?.authorization ?? null,
    async close() {
      await app.close();
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
