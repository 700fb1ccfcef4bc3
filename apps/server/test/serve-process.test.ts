import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgTestDb } from '@meridian/db/testing';
import { exitCode, readyUrl, runMeridian, runToEnd } from './cli-process.ts';

const homes: string[] = [];
async function home(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-serve-'));
  homes.push(dir);
  return dir;
}
after(() => Promise.all(homes.map((h) => rm(h, { recursive: true, force: true }))));

async function pollReady(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const response = await fetch(`${url}/api/readyz`).catch(() => null);
    if (response?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('readyz never answered 200');
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('meridian serve as a real process', () => {
  for (const backend of ['pglite', 'postgres'] as const) {
    it(`starts on ${backend}, becomes ready, and stops cleanly on SIGTERM`, async () => {
      const env: Record<string, string> = { MERIDIAN_HOME: await home(), MERIDIAN_PORT: '0' };
      const testDb = backend === 'postgres' ? await createPgTestDb() : null;
      if (testDb) env.MERIDIAN_DATABASE_URL = testDb.location;
      try {
        const started = performance.now();
        const child = runMeridian(['serve'], env);
        const url = await readyUrl(child);
        await pollReady(url);
        const startupMs = performance.now() - started;
        const rss = await rssMiB(child.pid!);
        console.log(`# serve on ${backend}: ready in ${(startupMs / 1000).toFixed(1)} s, resident ${rss.toFixed(0)} MiB at idle`);
        const health = await (await fetch(`${url}/api/health`)).json();
        assert.equal(health.database.detail, backend);
        child.kill('SIGTERM');
        assert.equal(await exitCode(child), 0);
      } finally {
        await testDb?.drop();
      }
    });
  }

  it('drains a download in flight on SIGTERM before exiting', async () => {
    const testDb = await createPgTestDb();
    try {
      const child = runMeridian(['serve'], { MERIDIAN_HOME: await home(), MERIDIAN_PORT: '0', MERIDIAN_DATABASE_URL: testDb.location });
      const url = await readyUrl(child);
      const size = 48 * 1024 * 1024;
      const put = await fetch(`${url}/api/storage/bronze-drain/big.bin`, { method: 'PUT', body: Buffer.alloc(size, 7), headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(put.status, 201);
      const download = await fetch(`${url}/api/storage/bronze-drain/big.bin`);
      const reader = download.body!.getReader();
      let received = (await reader.read()).value?.length ?? 0;
      child.kill('SIGTERM');
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
      }
      assert.equal(received, size);
      assert.equal(await exitCode(child), 0);
      const refused = await fetch(`${url}/api/livez`).then((r) => r.status, () => 'refused');
      assert.equal(refused, 'refused');
    } finally {
      await testDb.drop();
    }
  });

  it('exits non-zero at once, with a clear redacted message, when the database is down', async () => {
    const started = Date.now();
    const result = await runToEnd(['serve'], { MERIDIAN_HOME: await home(), MERIDIAN_DATABASE_URL: 'postgres://meridian:sup3rsecret@127.0.0.1:1/meridian' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /DATABASE_UNAVAILABLE/);
    assert.doesNotMatch(result.stderr + result.stdout, /sup3rsecret/);
    assert.ok(Date.now() - started < 20_000);
  });

  it('refuses malformed configuration naming the variable', async () => {
    const result = await runToEnd(['serve'], { MERIDIAN_HOME: await home(), MERIDIAN_PORT: 'eighty' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /MERIDIAN_PORT/);
    const typo = await runToEnd(['serve'], { MERIDIAN_HOME: await home(), MERIDIAN_WORKRES: '2' });
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /MERIDIAN_WORKRES: unknown variable/);
  });

  it('migrates and uploads from the command line', async () => {
    const testDb = await createPgTestDb();
    try {
      const dir = await home();
      const migrated = await runToEnd(['migrate'], { MERIDIAN_HOME: dir, MERIDIAN_DATABASE_URL: testDb.location });
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /up to date/);
      const file = join(dir, 'sample.csv');
      await writeFile(file, 'id,name\n1,a\n');
      const uploaded = await runToEnd(['upload', file, 'bronze-cli/in/sample.csv'], { MERIDIAN_HOME: dir });
      assert.equal(uploaded.code, 0, uploaded.stderr);
      assert.equal(await readFile(join(dir, 'storage', 'bronze-cli', 'in', 'sample.csv'), 'utf8'), 'id,name\n1,a\n');
      const refused = await runToEnd(['upload', file, 'bronze-cli/../escape.csv'], { MERIDIAN_HOME: dir });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /INVALID_BLOB_KEY/);
    } finally {
      await testDb.drop();
    }
  });

  it('prints usage for an unknown command', async () => {
    const result = await runToEnd(['frobnicate'], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command/);
  });
});
