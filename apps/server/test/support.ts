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

export interface TestApp {
  app: App;
  runtime: Runtime;
  testDb: TestDb;
  home: string;
  close(): Promise<void>;
}

/** A real app on a real (cloned) database and a temporary file store, driven through `app.inject`. */
export async function createTestApp(options: { kind?: DbKind; mode?: ExposureMode; env?: Record<string, string> } = {}): Promise<TestApp> {
  const home = await mkdtemp(join(tmpdir(), 'meridian-app-'));
  const testDb = await createTestDb(options.kind ?? 'postgres');
  const config = loadConfig({ MERIDIAN_HOME: home, MERIDIAN_LOG_LEVEL: 'silent', ...options.env }, process.cwd());
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
  return {
    app,
    runtime,
    testDb,
    home,
    async close() {
      await app.close();
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
