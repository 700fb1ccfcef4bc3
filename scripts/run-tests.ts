/**
 * Runs every test file with node's test runner. Before the files start, it builds the migrated template
 * databases once (PostgreSQL and PGlite), so parallel test files only clone them; and it drops test
 * databases that an earlier, interrupted run left behind.
 *   usage: node --import tsx scripts/run-tests.ts [file-filter…]
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import pg from 'pg';
import { createPgliteTestDb, createPgTestDb, PG_TEST_URL } from '@meridian/db/testing';

const ROOT = new URL('..', import.meta.url).pathname;

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...(await testFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) files.push(relative(ROOT, path));
  }
  return files;
}

async function dropLeftoverDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'meridian\\_test\\_%'");
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function warmTemplates(): Promise<void> {
  const [pgDb, pgliteDb] = await Promise.all([createPgTestDb(), createPgliteTestDb()]);
  await Promise.all([pgDb.drop(), pgliteDb.drop()]);
}

const filters = process.argv.slice(2);
const files = (await Promise.all(['packages', 'apps'].map(async (top) => {
  const dirs = await readdir(join(ROOT, top), { withFileTypes: true });
  return (await Promise.all(dirs.filter((d) => d.isDirectory()).map((d) => testFiles(join(ROOT, top, d.name, 'test'))))).flat();
}))).flat().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();

await dropLeftoverDatabases();
const started = Date.now();
await warmTemplates();
console.log(`templates ready in ${((Date.now() - started) / 1000).toFixed(1)} s; running ${files.length} test files`);

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-reporter=spec', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PG_TEST_URL },
});
child.on('exit', (code, signal) => {
  process.exitCode = signal ? 1 : (code ?? 1);
});
