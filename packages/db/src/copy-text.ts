/** Encodes rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes). */
export function copyTextLine(row: readonly unknown[]): string {
  return `${row.map(copyTextValue).join('\t')}\n`;
}

function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return escapeCopyText(arrayLiteral(value));
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return escapeCopyText(text);
}

/** JS arrays are PostgreSQL arrays (`{"a","b"}`); a JSON array for a json column must be passed as text. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${items.join(',')}}`;
}

function escapeCopyText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Groups rows into COPY text chunks of about `chunkBytes`, so no load is held in memory whole. */
export async function* copyTextChunks(
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
  chunkBytes = 1 << 20,
): AsyncGenerator<{ text: string; rows: number }> {
  let parts: string[] = [];
  let size = 0;
  let count = 0;
  for await (const row of rows) {
    const line = copyTextLine(row);
    parts.push(line);
    size += line.length;
    count += 1;
    if (size >= chunkBytes) {
      yield { text: parts.join(''), rows: count };
      parts = [];
      size = 0;
      count = 0;
    }
  }
  if (count > 0) yield { text: parts.join(''), rows: count };
}
