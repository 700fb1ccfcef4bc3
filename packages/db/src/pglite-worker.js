// The embedded database runs here, in its own thread: a PGlite query is synchronous WebAssembly work
// and would otherwise block the event loop of the API. Plain JavaScript so it loads without a TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import { readFile, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

const INT8_OID = 20;
let db;

async function open({ dataDir, loadDataDir }) {
  const options = {
    dataDir,
    extensions: { postgis },
    parsers: { [INT8_OID]: (value) => Number(value) },
  };
  if (loadDataDir) options.loadDataDir = new Blob([await readFile(loadDataDir)]);
  db = await PGlite.create(options);
}

const operations = {
  open,
  async query({ sql, params }) {
    const result = await db.query(sql, params);
    // PGlite reports affectedRows 0 for a statement that returns rows; pg counts the rows returned.
    return { rows: result.rows, rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
  },
  async exec({ sql }) {
    await db.exec(sql);
  },
  async copy({ sql, text }) {
    await db.query(sql, [], { blob: new Blob([text]) });
  },
  async dump({ path }) {
    const file = await db.dumpDataDir('gzip');
    await writeFile(path, Buffer.from(await file.arrayBuffer()));
  },
  async close() {
    await db?.close();
    db = undefined;
  },
};

parentPort.on('message', async ({ id, op, args }) => {
  try {
    const result = await operations[op](args);
    parentPort.postMessage({ id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      error: { message: error?.message ?? String(error), code: error?.code, detail: error?.detail },
    });
  }
});

void workerData;
