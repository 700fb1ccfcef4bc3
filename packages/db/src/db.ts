/**
 * The one database interface. Two adapters implement it: `pg` (a PostgreSQL server) and PGlite
 * (embedded, in a worker thread). Both return the same JS types: int8 → number, numeric → string,
 * bytea → Buffer, timestamptz → Date, json/jsonb → parsed values.
 */
export type Row = Record<string, unknown>;

export interface QueryResult<R = Row> {
  rows: R[];
  rowCount: number;
}

export interface TableName {
  schema: string;
  table: string;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection and reuse it (PostgreSQL skips parsing and, once its
   * generic plan is as good, planning). Only for a bounded set of statement texts whose plan does not
   * hinge on the parameter values — a tile query, not a page with ORDER BY … LIMIT, where a generic plan
   * can be many times slower. A hint: the result is the same either way, and PGlite ignores it.
   */
  prepare?: boolean;
}

export interface Queryable {
  /** One statement with `$1…` bind parameters. */
  query<R = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations, DDL scripts). */
  execScript(sql: string): Promise<void>;
  /**
   * Bulk load with COPY. Rows are arrays in `columns` order; returns the number of rows written.
   * Values: null/undefined → NULL, Buffer → bytea, Date → timestamptz, arrays → PostgreSQL arrays,
   * other objects → JSON text (pass a JSON array as a string).
   */
  copyFrom(target: TableName, columns: readonly string[], rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>): Promise<number>;
}

export type DbKind = 'postgres' | 'pglite';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to NOTIFY on a channel. PostgreSQL only: PGlite has one session and no other process to
   * notify it, so it returns null and callers poll.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

/** An error raised by the database, with its SQLSTATE, the same shape from both adapters. */
export class DbError extends Error {
  readonly sqlState: string;
  readonly detail: string | undefined;
  constructor(message: string, sqlState: string, detail?: string) {
    super(message);
    this.name = 'DbError';
    this.sqlState = sqlState;
    this.detail = detail;
  }
}

export function isDbError(error: unknown, sqlState?: string): error is DbError {
  return error instanceof DbError && (sqlState === undefined || error.sqlState === sqlState);
}
