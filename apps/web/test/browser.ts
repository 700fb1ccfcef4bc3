/**
 * What the UI tests share: one real `meridian serve` on a fresh PostgreSQL database and one headless
 * Debian chromium (never a downloaded browser), pages that record console errors, and screenshots
 * saved under .test-artifacts/ui/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createPgTestDb, type TestDb } from '@meridian/db/testing';
import { exitCode, readyUrl, runMeridian } from '../../server/test/cli-process.ts';

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS = join(REPO_ROOT, '.test-artifacts', 'ui');
const CHROMIUM = '/usr/bin/chromium';

/** scripts/setup.sh builds the UI; a test run straight from a fresh checkout builds it here. */
export function ensureBuilt(): void {
  if (existsSync(join(WEB_ROOT, 'dist', 'index.html'))) return;
  const build = spawnSync('npm', ['run', 'build', '--workspace', '@meridian/web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the web UI failed');
}

export interface Server {
  url: string;
  testDb: TestDb;
  stop(): Promise<void>;
}

/** Starts `meridian serve [args]` (API, UI and in-process workers) on a fresh migrated database, with extra `env`. */
export async function startServer(prepare: (testDb: TestDb) => Promise<void>, args: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const testDb = await createPgTestDb();
  await prepare(testDb);
  const home = await mkdtemp(join(tmpdir(), 'meridian-ui-'));
  const child = runMeridian(['serve', ...args], { MERIDIAN_HOME: home, MERIDIAN_PORT: '0', MERIDIAN_DATABASE_URL: testDb.location, ...env });
  const url = await readyUrl(child);
  // A server that dies mid-run would only show up as refused connections; say why it died instead.
  let stopping = false;
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8000)));
  child.on('exit', (code) => {
    if (!stopping) console.error(`meridian serve exited with ${code} during the UI tests:\n${stderr}`);
  });
  return {
    url,
    testDb,
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      await exitCode(child);
      await testDb.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface Browsing {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function startBrowser(baseURL: string): Promise<Browsing> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-swiftshader'],
  });
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  await mkdir(ARTIFACTS, { recursive: true });
  return { browser, context, close: () => browser.close() };
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(context: BrowserContext, path: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(path);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Opens a page, runs the checks, saves its screenshot (also when a check fails) and asserts no console
 * error happened other than the `expected` ones (the browser logs every 4xx answer it receives).
 */
export async function visitPage(context: BrowserContext, path: string, name: string, check: (w: WatchedPage) => Promise<void>, expected?: RegExp): Promise<void> {
  const watched = await openPage(context, path);
  try {
    await check(watched);
    await screenshot(watched.page, name);
    assert.deepEqual(watched.errors.filter((e) => !expected?.test(e)), [], `console errors on ${path}`);
  } catch (error) {
    await screenshot(watched.page, `${name}-failed`);
    throw error;
  } finally {
    await watched.page.close();
  }
}
