import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { MeridianError, redact } from '@meridian/core';
import { DbError, type Db, type QueryOptions, type QueryResult, type Queryable, type Row, type TableName } from './db.ts';
import { copyTextChunks } from './copy-text.ts';
import { ident, qualified } from './sql.ts';

const INT8_OID = 20;

/** int8 as number (the PGlite adapter does the same); counts and ids here stay below 2^53. */
const typeOverrides = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function toDbError(error: unknown): unknown {
  const e = error as Error & { code?: unknown; detail?: string };
  if (error instanceof Error && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return new DbError(e.message, e.code, e.detail);
  }
  return error;
}

/** Connection failures (server down, wrong host, auth) become DATABASE_UNAVAILABLE with the URL redacted. */
function toConnectError(error: unknown, url: string): MeridianError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MeridianError('DATABASE_UNAVAILABLE', redact(`cannot connect to ${url}: ${reason}`), {}, { cause: error });
}

/**
 * Settings of every pooled session. No JIT: Meridian's statements are short (a page, a tile) or spend
 * their time in PostGIS functions JIT cannot speed up, and a 1,000-feature page, whose estimated cost
 * passes jit_above_cost, took longer to JIT-compile (~13–24 ms) than to run (~13 ms) here.
 */
const SESSION_OPTIONS = '-c jit=off';

/**
 * Statements kept prepared per connection at most; beyond that a connection runs new texts unprepared, so
 * a server backend never holds more than this many plans for us.
 */
const MAX_PREPARED_PER_CONNECTION = 100;
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/** The name `sql` is prepared under on `client`, or undefined when it is to run unprepared. */
function statementName(client: pg.PoolClient, sql: string): string | undefined {
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Set()));
  const name = `meridian_${createHash('sha1').update(sql).digest('hex')}`;
  if (names.has(name)) return name;
  if (names.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
  names.add(name);
  return name;
}

async function run<R>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[], name: string | undefined): Promise<QueryResult<R>> {
  try {
    const result = await client.query({ text: sql, values: params as unknown[], types: typeOverrides, ...(name ? { name } : {}) });
    return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
  } catch (error) {
    throw toDbError(error);
  }
}

class PgQueryable implements Queryable {
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  async query<R = Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult<R>> {
    if (!options.prepare) return run(this.client, sql, params, undefined);
    // A prepared statement lives on one connection, so take one from the pool (as pool.query does).
    if (!(this.client instanceof pg.Pool)) return run(this.client, sql, params, statementName(this.client, sql));
    const client = await this.client.connect();
    try {
      return await run(client, sql, params, statementName(client, sql));
    } finally {
      client.release();
    }
  }

  async execScript(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw toDbError(error);
    }
  }

  async copyFrom(target: TableName, columns: readonly string[], rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>): Promise<number> {
    const run = async (client: pg.PoolClient): Promise<number> => {
      const sql = `COPY ${qualified(target.schema, target.table)} (${columns.map(ident).join(', ')}) FROM STDIN`;
      let count = 0;
      const source = Readable.from(
        (async function* () {
          for await (const chunk of copyTextChunks(rows)) {
            count += chunk.rows;
            yield chunk.text;
          }
        })(),
      );
      try {
        await pipeline(source, client.query(copyFromStdin(sql)));
      } catch (error) {
        throw toDbError(error);
      }
      return count;
    };
    if (this.client instanceof pg.Pool) {
      const client = await this.client.connect();
      try {
        return await run(client);
      } finally {
        client.release();
      }
    }
    return run(this.client);
  }
}

export class PgDb extends PgQueryable implements Db {
  readonly kind = 'postgres' as const;
  private listeners: pg.Client[] = [];

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {
    super(pool);
  }

  /** Opens a pool and proves the server answers, so a down database fails start-up at once. */
  static async open(url: string, poolSize: number, onPoolError: (error: Error) => void = () => {}): Promise<PgDb> {
    const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000, options: SESSION_OPTIONS });
    pool.on('error', onPoolError);
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => {});
      throw toConnectError(error, url);
    }
    return new PgDb(pool, url);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw toDbError(error);
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
    } catch (error) {
      throw toConnectError(error, this.url);
    }
    client.on('error', () => {});
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    await client.query(`LISTEN ${ident(channel)}`);
    this.listeners.push(client);
    return async () => {
      this.listeners = this.listeners.filter((c) => c !== client);
      await client.end().catch(() => {});
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.listeners.map((c) => c.end().catch(() => {})));
    this.listeners = [];
    await this.pool.end();
  }
}
