import { Worker } from 'node:worker_threads';
import { MeridianError } from '@meridian/core';
import { DbError, type Db, type QueryOptions, type QueryResult, type Queryable, type Row, type TableName } from './db.ts';
import { copyTextChunks } from './copy-text.ts';
import { ident, qualified } from './sql.ts';
import { acquireLock, type FileLock } from './file-lock.ts';

type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { message: string; code?: string; detail?: string } };

/** Turns bytea values (Uint8Array from PGlite) into Buffers, as the pg adapter returns them. */
function normalizeRow(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return row;
}

/** Serializes access: PGlite has exactly one session, so a transaction owns it until it ends. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

class PgliteSession implements Queryable {
  constructor(protected readonly call: (op: string, args: unknown) => Promise<unknown>) {}

  /** Options are hints PGlite has no use for (one session, in process). */
  async query<R = Row>(sql: string, params: readonly unknown[] = [], _options?: QueryOptions): Promise<QueryResult<R>> {
    const result = (await this.call('query', { sql, params })) as QueryResult<Row>;
    return { rows: result.rows.map(normalizeRow) as R[], rowCount: result.rowCount };
  }

  async execScript(sql: string): Promise<void> {
    await this.call('exec', { sql });
  }

  async copyFrom(target: TableName, columns: readonly string[], rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>): Promise<number> {
    const sql = `COPY ${qualified(target.schema, target.table)} (${columns.map(ident).join(', ')}) FROM '/dev/blob'`;
    let count = 0;
    for await (const chunk of copyTextChunks(rows)) {
      await this.call('copy', { sql, text: chunk.text });
      count += chunk.rows;
    }
    return count;
  }
}

export interface PgliteOpenOptions {
  dataDir: string;
  /** A gzipped data directory made by `dump` (used to clone a migrated template quickly in tests). */
  loadDataDir?: string;
}

export class PgliteDb extends PgliteSession implements Db {
  readonly kind = 'pglite' as const;
  private readonly mutex = new Mutex();

  private constructor(
    private readonly worker: Worker,
    private readonly send: (op: string, args: unknown) => Promise<unknown>,
    private readonly lock: FileLock,
  ) {
    super((op, args) => this.mutex.run(() => send(op, args)));
  }

  /** Starts the worker thread and opens (or creates) the database, holding a lock on its directory. */
  static async open(options: PgliteOpenOptions): Promise<PgliteDb> {
    const lock = await acquireLock(`${options.dataDir}.lock`);
    const worker = new Worker(new URL('./pglite-worker.js', import.meta.url));
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
    let nextId = 1;
    worker.on('message', (reply: WorkerReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new DbError(reply.error.message, reply.error.code ?? 'XX000', reply.error.detail));
    });
    worker.on('error', (error) => {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
    const send = (op: string, args: unknown): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, op, args });
      });
    try {
      await send('open', options);
    } catch (error) {
      await worker.terminate();
      await lock.release();
      throw new MeridianError('DATABASE_UNAVAILABLE', `cannot open the embedded database in ${options.dataDir}: ${(error as Error).message}`, {}, { cause: error });
    }
    return new PgliteDb(worker, send, lock);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const tx = new PgliteSession(this.send);
      await this.send('exec', { sql: 'BEGIN' });
      try {
        const result = await fn(tx);
        await this.send('exec', { sql: 'COMMIT' });
        return result;
      } catch (error) {
        await this.send('exec', { sql: 'ROLLBACK' }).catch(() => {});
        throw error;
      }
    });
  }

  async listen(): Promise<null> {
    return null;
  }

  /** Writes a gzipped copy of the data directory (a template for fast clones). */
  async dump(path: string): Promise<void> {
    await this.call('dump', { path });
  }

  async close(): Promise<void> {
    await this.mutex.run(() => this.send('close', {}));
    await this.worker.terminate();
    await this.lock.release();
  }
}
