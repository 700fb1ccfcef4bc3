import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVectorFixtures } from '@meridian/catalog/testing';
import { rgbImage, writeGeoTiff } from '../../../fixtures/raster-fixtures.ts';
import { countPixels, decodePng } from './png.ts';
import type { Page } from 'playwright-core';
import { ensureBuilt, openPage, screenshot, startBrowser, startServer, visitPage, type Browsing, type Server, type WatchedPage } from './browser.ts';

const TIMEOUT = 20_000;
const JOB_TIMEOUT = 90_000;

/** Three 10° squares around the equator: big enough to see on a world map. */
const PARKS = {
  type: 'FeatureCollection',
  features: [0, 15, 30].map((x, i) => ({
    type: 'Feature',
    properties: { name: `Park ${i + 1}`, rank: i + 1 },
    geometry: { type: 'Polygon', coordinates: [[[x, 0], [x + 10, 0], [x + 10, 10], [x, 10], [x, 0]]] },
  })),
};

interface QueueEntry {
  release_id: string;
  resource_id: string;
  approval_state: string;
  outputs: { table_name?: string | null; stac_collection_id?: string | null; stac_item_id?: string | null };
}

/** Pixels of a screenshot that are neither the map background nor grey UI. */
function colouredPixels(png: Buffer): number {
  return countPixels(decodePng(png), (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 40);
}

describe('the web UI in a real browser', { timeout: 300_000 }, () => {
  let server: Server;
  let browsing: Browsing;

  before(async () => {
    ensureBuilt();
    server = await startServer((testDb) => createVectorFixtures(testDb.db));
    browsing = await startBrowser(server.url);
  });
  after(async () => {
    await browsing?.close();
    await server?.stop();
  });

  const visit = (path: string, name: string, check: (w: WatchedPage) => Promise<void>, expected?: RegExp) => visitPage(browsing.context, path, name, check, expected);

  it('serves the UI at / with SPA fallback, cached assets, and keeps /api 404s as JSON', async () => {
    const index = await fetch(`${server.url}/jobs/${'a'.repeat(64)}`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, 'index.html references a hashed script');
    const script = await fetch(`${server.url}${asset}`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const missing = await fetch(`${server.url}/api/nothing-here`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /json/);
  });

  it('shows health: the database, storage, workers and queue', async () => {
    await visit('/', 'home', async ({ page }) => {
      await page.getByRole('heading', { name: 'Database' }).waitFor({ timeout: TIMEOUT });
      const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Database' }) });
      assert.match(await card.innerText(), /OK\s+postgres/);
      assert.equal(await page.getByTestId('health-status').innerText(), 'ok');
      await page.getByRole('heading', { name: 'Workers' }).waitFor();
    });
    const phone = await browsing.browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
    try {
      const page = await phone.newPage();
      await page.goto('/jobs');
      await page.getByRole('heading', { name: 'Jobs' }).waitFor({ timeout: TIMEOUT });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390 + 1), 'no sideways scrolling on a phone');
      await screenshot(page, 'jobs-phone');
    } finally {
      await phone.close();
    }
  });

  it('submits a hello_world job with a dry run, then follows its progress and timeline', async () => {
    let jobPath = '';
    await visit('/submit', 'submit', async ({ page }) => {
      await page.getByLabel('Job type').selectOption('hello_world', { timeout: TIMEOUT });
      await page.getByLabel('n', { exact: true }).fill('0');
      await page.getByText('Must be at least 1.').waitFor();
      await page.getByLabel('n', { exact: true }).fill('4');
      await page.getByLabel('duration_ms').fill('300');
      assert.equal(await page.getByRole('button', { name: 'Submit' }).last().isDisabled(), true, 'submit waits for a dry run');
      await page.getByRole('button', { name: 'Dry run' }).last().click();
      await page.getByText('Dry run passed.').waitFor();
      await screenshot(page, 'submit-dry-run');
      await page.getByRole('button', { name: 'Submit' }).last().click();
      await page.waitForURL(/\/jobs\/[0-9a-f]{64}$/, { timeout: TIMEOUT });
      jobPath = new URL(page.url()).pathname;
      await page.getByRole('progressbar', { name: 'Job progress' }).waitFor({ timeout: TIMEOUT });
      await page.locator('.badge.status-completed').first().waitFor({ timeout: TIMEOUT });
      assert.equal(await page.getByRole('progressbar', { name: 'Job progress' }).getAttribute('aria-valuenow'), '100');
    });
    await visit(jobPath, 'job', async ({ page }) => {
      await page.getByRole('heading', { name: 'Execution timeline' }).waitFor({ timeout: TIMEOUT });
      await page.locator('.timeline rect').first().waitFor({ timeout: TIMEOUT });
      // One bar for the job, two stages, four greetings and one reply.
      assert.ok((await page.locator('.timeline rect').count()) >= 8);
      assert.equal(await page.locator('table.tasks tbody tr').count(), 5);
      await page.getByRole('heading', { name: 'Result' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Resubmit' }).isEnabled(), true);
    });
    await visit('/jobs', 'jobs', async ({ page }) => {
      await page.locator('table.jobs tbody tr').first().waitFor({ timeout: TIMEOUT });
      await page.getByLabel('Status').selectOption('failed');
      await page.getByText('No jobs match these filters.').waitFor({ timeout: TIMEOUT });
    });
  });

  it('uploads to storage with a progress bar, browses folders and deletes', async () => {
    await fetch(`${server.url}/api/storage/bronze-ui/inner/nested.txt`, { method: 'PUT', body: 'nested' });
    await visit('/storage/bronze-ui', 'storage-container', async ({ page }) => {
      page.on('dialog', (dialog) => void dialog.accept());
      await page.getByRole('link', { name: /inner\// }).waitFor({ timeout: TIMEOUT });
      await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(6 * 1024 * 1024, 7) });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText(/Stored as bronze-ui\/big\.bin/).waitFor({ timeout: TIMEOUT });
      assert.equal(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('aria-valuenow'), '100');
      await page.getByRole('cell', { name: '6.0 MiB' }).waitFor();
      await page.getByRole('button', { name: 'Delete big.bin' }).click();
      await page.getByRole('button', { name: 'Delete big.bin' }).waitFor({ state: 'detached', timeout: TIMEOUT });
      await page.getByRole('link', { name: /inner\// }).click();
      await page.getByRole('link', { name: 'nested.txt' }).waitFor({ timeout: TIMEOUT });
    });
    const head = await fetch(`${server.url}/api/storage/bronze-ui/big.bin`, { method: 'HEAD' });
    assert.equal(head.status, 404);
    await visit('/storage', 'storage', async ({ page }) => {
      await page.getByRole('heading', { name: /Bronze/ }).waitFor({ timeout: TIMEOUT });
      await page.getByRole('link', { name: 'bronze-ui' }).waitFor();
    });
  });

  it('draws vector tiles in the vector viewer and filters the attribute table with CQL2', async () => {
    await visit('/view/vector/zones', 'vector-viewer', async ({ page }) => {
      const tile = await page.waitForResponse((r) => /\/tiles\/WebMercatorQuad\/\d+\/\d+\/\d+\.pbf/.test(r.url()) && r.status() === 200, { timeout: TIMEOUT });
      assert.equal(tile.status(), 200);
      await page.locator('.maplibregl-canvas').waitFor();
      await page.waitForTimeout(1000);
      const pixels = decodePng(await page.locator('#vector-map').screenshot());
      const drawn = countPixels(pixels, (r, g, b) => b > 120 && r < 160 && b - r > 30);
      assert.ok(drawn > 500, `the map shows the zones in the layer colour (${drawn} pixels)`);
      await page.locator('[data-testid="attribute-table"] tbody tr').first().waitFor({ timeout: TIMEOUT });
      assert.equal(await page.locator('[data-testid="attribute-table"] tbody tr').count(), 5);
      await page.getByLabel('CQL2 filter').fill("kind = 'park'");
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="attribute-table"] tbody tr').length === 2, null, { timeout: TIMEOUT });
    });
    await visit('/view/vector/places', 'vector-viewer-invalid-filter', async ({ page }) => {
      await page.locator('[data-testid="attribute-table"] tbody tr').first().waitFor({ timeout: TIMEOUT });
      await page.getByLabel('CQL2 filter').fill('pop >>> 3');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByRole('alert').first().waitFor({ timeout: TIMEOUT });
    }, /status of 400 .*filter=pop/);
  });

  /** On the Submit page: chooses a file with `choose` (which returns its key), publishes it with a dry run first, and waits for its job. */
  async function publishThroughUi(name: string, resourceId: string, choose: (page: Page) => Promise<string>, datasetId = 'ui-test'): Promise<void> {
    await visit('/submit', name, async ({ page }) => {
      const key = await choose(page);
      assert.equal(await page.getByLabel('File name').inputValue(), key, 'the chosen file fills the file name');
      await page.getByLabel('Dataset id').fill(datasetId);
      await page.getByLabel('Resource id').fill('bad id');
      await page.getByRole('button', { name: 'Dry run' }).first().click();
      await page.getByText('Letters, digits, ".", "_" and "-", starting with a letter or digit.').waitFor();
      await page.getByLabel('Resource id').fill(resourceId);
      await page.getByRole('button', { name: 'Dry run' }).first().click();
      await page.getByText('Dry run passed:').waitFor({ timeout: TIMEOUT });
      await screenshot(page, `${name}-dry-run`);
      await page.getByRole('button', { name: 'Submit' }).first().click();
      await page.waitForURL(/\/jobs\/[0-9a-f]{64}$/, { timeout: TIMEOUT });
      await page.locator('p > .badge.status-completed').waitFor({ timeout: JOB_TIMEOUT });
    });
  }

  /** Uploads `file` into bronze-uploads/uploads/ on the Submit page. */
  const uploading = (file: { name: string; mimeType: string; buffer: Buffer }) => async (page: Page): Promise<string> => {
    await page.getByLabel('File', { exact: true }).setInputFiles(file, { timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(`Stored as bronze-uploads/uploads/${file.name}`).waitFor({ timeout: TIMEOUT });
    return `uploads/${file.name}`;
  };

  /** Opens the release's viewer from the approvals queue and approves it there. */
  async function approveFromQueue(name: string, resourceId: string, viewer: RegExp): Promise<QueueEntry> {
    const queue = (await (await fetch(`${server.url}/api/approvals?state=pending_review`)).json()) as { releases: QueueEntry[] };
    const release = queue.releases.find((r) => r.resource_id === resourceId);
    assert.ok(release, `release ${resourceId} waits for review`);
    await visit('/approvals', `approvals-${name}`, async ({ page }) => {
      await page.getByRole('row', { name: new RegExp(resourceId) }).getByRole('link', { name: 'Review' }).click({ timeout: TIMEOUT });
      await page.waitForURL(viewer, { timeout: TIMEOUT });
      await page.getByLabel('Reviewer').fill('ui-tester');
      await page.getByLabel('Clearance').selectOption('public');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText(/Release approved/).waitFor({ timeout: TIMEOUT });
      await screenshot(page, `review-${name}`);
    }, /status of 40[34]/);
    return release;
  }

  it('publishes a GeoJSON through Submit, approves it from the queue and shows its tiles', async () => {
    await publishThroughUi('publish-vector', 'parks', uploading({ name: 'parks.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(PARKS)) }));
    const release = await approveFromQueue('vector', 'parks', /\/view\/vector\/[^?]+\?release=/);
    const table = release.outputs.table_name!.replace(/^geo\./, '');
    await visit(`/view/vector/${table}`, 'vector-viewer-published', async ({ page }) => {
      await page.waitForResponse((r) => r.url().includes(`/collections/${table}/tiles/WebMercatorQuad/`) && r.status() === 200, { timeout: TIMEOUT });
      await page.locator('[data-testid="attribute-table"] tbody tr').nth(2).waitFor({ timeout: TIMEOUT });
      await page.waitForTimeout(1000);
      assert.ok(colouredPixels(await page.locator('#vector-map').screenshot()) > 500, 'the parks are drawn');
    });
    await visit('/approvals?state=approved', 'approvals-approved', async ({ page }) => {
      await page.getByRole('cell', { name: 'ui-test / parks' }).waitFor({ timeout: TIMEOUT });
      await page.getByRole('cell', { name: 'ui-tester' }).first().waitFor();
    });
  });

  it('publishes a GeoTIFF through Submit, approves it and shows tiles, histogram and pixel values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meridian-ui-raster-'));
    try {
      const path = await writeGeoTiff(join(dir, 'scene.tif'), rgbImage(256, 256));
      await publishThroughUi('publish-raster', 'scene', uploading({ name: 'scene.tif', mimeType: 'image/tiff', buffer: await readFile(path) }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const release = await approveFromQueue('raster', 'scene', /\/view\/raster\/[^/]+\/[^?]+\?release=/);
    await visit(`/view/raster/${release.outputs.stac_collection_id}/${release.outputs.stac_item_id}`, 'raster-viewer', async ({ page }) => {
      await page.waitForResponse((r) => /\/api\/raster\/.*\/tiles\//.test(r.url()) && r.status() === 200, { timeout: TIMEOUT });
      await page.locator('.histogram rect').first().waitFor({ timeout: TIMEOUT });
      await page.waitForTimeout(1000);
      const drawn = countPixels(decodePng(await page.locator('#raster-map').screenshot()), (r, g, b) => Math.max(r, g, b) < 200);
      assert.ok(drawn > 5000, `the raster is drawn (${drawn} pixels)`);
      assert.ok(colouredPixels(await page.locator('#raster-map').screenshot()) > 500, 'all bands are drawn as RGB by default');
      const box = (await page.locator('#raster-map').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.getByRole('heading', { name: 'Point inspector' }).locator('..').locator('pre').waitFor({ timeout: TIMEOUT });
    });
  });

  it('publishes a file picked from storage through Submit', async () => {
    await fetch(`${server.url}/api/storage/bronze-picks/data/picked.geojson`, { method: 'PUT', body: JSON.stringify(PARKS) });
    await publishThroughUi('publish-picked', 'picked', async (page) => {
      await page.getByLabel('Container to browse').selectOption('bronze-picks', { timeout: TIMEOUT });
      await page.getByRole('button', { name: /data\// }).click({ timeout: TIMEOUT });
      await page.getByRole('button', { name: 'Use picked.geojson' }).click({ timeout: TIMEOUT });
      await page.getByText('Using bronze-picks/data/picked.geojson').waitFor();
      assert.equal(await page.locator('#publish-container_name').inputValue(), 'bronze-picks');
      return 'data/picked.geojson';
    }, 'ui-pick');
    const queue = (await (await fetch(`${server.url}/api/approvals?state=pending_review`)).json()) as { releases: QueueEntry[] };
    assert.ok(queue.releases.some((r) => r.resource_id === 'picked' && r.outputs.table_name), 'the picked file was processed into a table');
  });

  it('searches the catalog, opens a dataset and its viewer, and shows empty and error states', async () => {
    await visit('/catalog', 'catalog', async ({ page }) => {
      await page.getByRole('link', { name: 'Zones' }).or(page.getByRole('link', { name: 'zones' })).first().waitFor({ timeout: TIMEOUT });
      await page.locator('ul.collections').first().getByRole('link', { name: /ui-test-scene/ }).waitFor({ timeout: TIMEOUT });
      await page.getByRole('button', { name: 'Search items' }).click();
      await page.locator('ul.items').getByText('ui-test-scene-ord1').waitFor({ timeout: TIMEOUT });
      await page.getByLabel('Text').fill('no-such-thing');
      await page.getByRole('button', { name: 'Search items' }).click();
      await page.getByText('No items match.').waitFor({ timeout: TIMEOUT });
    });
    await visit('/catalog/ui-test-scene', 'dataset-viewer', async ({ page }) => {
      await page.getByRole('heading', { name: 'Items', exact: true }).waitFor({ timeout: TIMEOUT });
      await page.getByRole('link', { name: 'View', exact: true }).first().waitFor({ timeout: TIMEOUT });
      await screenshot(page, 'dataset');
      await page.getByRole('link', { name: 'View', exact: true }).first().click({ timeout: TIMEOUT });
      await page.waitForURL(/\/view\/raster\/ui-test-scene\//);
    });
    await visit('/approvals?state=rejected', 'approvals-empty', async ({ page }) => {
      await page.getByText('No releases are rejected.').waitFor({ timeout: TIMEOUT });
    });
    await visit('/auth', 'auth', async ({ page }) => {
      await page.getByText('MERIDIAN_AUTH=off').waitFor({ timeout: TIMEOUT });
      await page.getByLabel('Bearer token').fill('pasted-token');
      const sent = page.waitForRequest((r) => r.url().endsWith('/api/auth/me') && r.headers().authorization === 'Bearer pasted-token');
      await page.getByRole('button', { name: 'Save token' }).click();
      await sent;
      assert.equal(await page.evaluate(() => sessionStorage.getItem('meridian.token')), 'pasted-token');
      await page.getByRole('button', { name: 'Sign out' }).click();
      assert.equal(await page.evaluate(() => sessionStorage.getItem('meridian.token')), null);
    });
    await visit('/view/raster/demo/missing-item', 'raster-viewer-missing', async ({ page }) => {
      await page.getByRole('heading', { name: 'Histogram' }).waitFor({ timeout: TIMEOUT });
      await page.locator('.error, .notice').first().waitFor({ timeout: TIMEOUT });
    }, /status of 404/);
  });

  it('lists every version of a dataset with its state, approval, job and services', async () => {
    const submitted = await fetch(`${server.url}/api/platform/submit`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset_id: 'ui-test', resource_id: 'scene', version_id: 'v2', previous_version_id: 'v1', container_name: 'bronze-uploads', file_name: 'uploads/scene.tif' }),
    });
    assert.equal(submitted.status, 202, await submitted.clone().text());
    const { request_id: requestId } = (await submitted.json()) as { request_id: string };
    const deadline = Date.now() + JOB_TIMEOUT;
    let processing = '';
    while (processing !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      processing = ((await (await fetch(`${server.url}/api/platform/status/${requestId}`)).json()) as { release: { processing_status: string } }).release.processing_status;
    }
    assert.equal(processing, 'completed', 'version v2 was processed');
    await visit('/catalog/ui-test-scene', 'dataset-versions', async ({ page }) => {
      const rows = page.locator('[data-testid="versions"] tbody tr');
      await rows.nth(1).waitFor({ timeout: TIMEOUT });
      assert.equal(await rows.count(), 2);
      assert.match(await page.locator('[data-testid="versions"] caption').innerText(), /ui-test \/ scene \(raster, 2 releases\)/);
      assert.match(await rows.nth(0).innerText(), /^2\s+v2\s+1\s+completed\s+pending review/);
      assert.match(await rows.nth(1).innerText(), /^1\s+v1\s+1\s+completed\s+approved\s+public[\s\S]*ui-tester/);
      assert.match((await rows.nth(1).getByRole('link', { name: 'Service' }).getAttribute('href'))!, /^\/api\/raster\/collections\/ui-test-scene\/items\/[^/]+\/tilejson\.json$/);
      await rows.nth(1).getByRole('link', { name: /^[0-9a-f]{10}…$/ }).waitFor();
      await screenshot(page, 'dataset-versions-table');
      await rows.nth(0).getByRole('link', { name: 'Review', exact: true }).click();
      await page.waitForURL(/\/view\/raster\/ui-test-scene\/[^?]+\?release=[0-9a-f]{32}$/, { timeout: TIMEOUT });
      await page.getByRole('button', { name: 'Approve' }).waitFor({ timeout: TIMEOUT });
    });
  });
});

describe('the web UI on a gateway (no jobs, storage or catalog APIs)', { timeout: 120_000 }, () => {
  let server: Server;
  let browsing: Browsing;

  before(async () => {
    ensureBuilt();
    server = await startServer(async () => undefined, ['--mode', 'gateway']);
    browsing = await startBrowser(server.url);
  });
  after(async () => {
    await browsing?.close();
    await server?.stop();
  });

  it('shows a notice for each API the mode does not offer, without failed requests', async () => {
    for (const [path, notice] of [['/jobs', 'The jobs API'], ['/storage', 'The storage API'], ['/catalog', 'The STAC API']] as const) {
      const { page, errors } = await openPage(browsing.context, path);
      await page.getByText(`${notice} is not available on this server.`).waitFor({ timeout: TIMEOUT });
      await screenshot(page, `gateway${path.replace('/', '-')}`);
      assert.deepEqual(errors, [], `console errors on ${path}`);
      await page.close();
    }
  });
});
