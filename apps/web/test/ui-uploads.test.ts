import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, screenshot, startBrowser, startServer, visitPage, type Browsing, type Server } from './browser.ts';

const TIMEOUT = 20_000;
const PARTS = '**/api/storage/uploads/*/parts/*';
const UNAVAILABLE = JSON.stringify({ code: 'STORAGE_UNAVAILABLE', message: 'storage is briefly unavailable', remedy: 'Retry.' });

describe('chunked uploads in the web UI', { timeout: 180_000 }, () => {
  let server: Server;
  let browsing: Browsing;
  let dir: string;
  let path: string;
  const big = Buffer.alloc(20 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;

  before(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'meridian-ui-upload-'));
    path = join(dir, 'chunked.bin');
    await writeFile(path, big);
    server = await startServer(async () => undefined);
    browsing = await startBrowser(server.url);
  });
  after(async () => {
    await browsing?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a large file in parts, retries a failed part, resumes in the page and after a reload', async () => {
    await visitPage(browsing.context, '/storage/bronze-chunks', 'storage-chunked', async ({ page }) => {
      const attempts: Record<string, number> = {};
      // Part 1 (the second) is dropped once: sent again at once. Part 2 fails every time: the upload stops, resumable.
      await page.route(PARTS, async (route) => {
        const part = route.request().url().split('/').pop()!;
        attempts[part] = (attempts[part] ?? 0) + 1;
        if (part === '1' && attempts[part] === 1) return route.abort('connectionreset');
        if (part === '2') return route.fulfill({ status: 503, contentType: 'application/json', body: UNAVAILABLE });
        return route.continue();
      });
      await page.getByLabel('File', { exact: true }).setInputFiles(path, { timeout: TIMEOUT });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('storage is briefly unavailable').waitFor({ timeout: TIMEOUT });
      assert.deepEqual(attempts, { 0: 1, 1: 2, 2: 3 }, 'a failed part is retried; three failures stop the upload');
      assert.match(await page.getByText(/in 3 parts/).innerText(), /16\.0 MiB of 20\.0 MiB/);
      await screenshot(page, 'storage-chunked-failed');

      await page.getByRole('button', { name: 'Resume upload' }).click();
      await page.getByRole('button', { name: 'Resume upload' }).waitFor({ timeout: TIMEOUT });
      assert.deepEqual(attempts, { 0: 1, 1: 2, 2: 6 }, 'resuming sends only the part that has not arrived');
      assert.equal((await fetch(`${server.url}/api/storage/bronze-chunks/chunked.bin`, { method: 'HEAD' })).status, 404, 'no blob until every part arrived');

      // The tab is reloaded (or the browser crashed): choosing the same file again continues its session.
      await page.unroute(PARTS);
      await page.reload();
      const sent: string[] = [];
      page.on('request', (r) => void (r.method() === 'PUT' && r.url().includes('/parts/') && sent.push(r.url().split('/').pop()!)));
      await page.getByLabel('File', { exact: true }).setInputFiles(path, { timeout: TIMEOUT });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText(/Stored as bronze-chunks\/chunked\.bin/).waitFor({ timeout: TIMEOUT });
      assert.deepEqual(sent, ['2'], 'after the reload only the missing part is sent');
      assert.equal(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('aria-valuenow'), '100');
      await page.getByRole('cell', { name: '20.0 MiB' }).waitFor({ timeout: TIMEOUT });
      assert.equal(await page.evaluate(() => localStorage.getItem('meridian.uploads')), '{}', 'the finished session is forgotten');
    }, /status of 503|ERR_CONNECTION_RESET|ERR_FAILED/);
    const stored = Buffer.from(await (await fetch(`${server.url}/api/storage/bronze-chunks/chunked.bin`)).arrayBuffer());
    assert.ok(stored.equals(big), 'the assembled blob is the file');
    const staged = await (await fetch(`${server.url}/api/storage`)).json() as { containers: string[] };
    assert.deepEqual(staged.containers, ['bronze-chunks'], 'the staging container stays hidden');
  });
});
