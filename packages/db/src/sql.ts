/**
 * SQL identifier quoting: the one place identifiers enter SQL text. Everything else is a bind parameter.
 */
const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Quotes an identifier after checking it is a plausible PostgreSQL name (≤ 63 bytes, no NUL). */
export function ident(name: string): string {
  if (name.length === 0 || Buffer.byteLength(name) > 63 || name.includes('\u0000')) {
    throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** True for names that need no quoting discipline beyond `ident` (used to validate generated names). */
export function isSafeIdentifier(name: string): boolean {
  return SAFE_IDENTIFIER.test(name);
}
