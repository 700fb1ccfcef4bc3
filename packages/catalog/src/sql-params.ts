/**
 * The bind parameters of one statement. Every value that comes from a request enters SQL through `add`,
 * which returns its `$n` placeholder; the SQL text itself only ever holds placeholders, identifiers quoted
 * by `ident()`, and constants written in this package.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
