/**
 * Reads PostgreSQL COPY text as GDAL's PGDUMP writer produces it: records end at a newline that is not
 * escaped (GDAL writes a newline inside a value as a backslash and the newline itself), fields end at a
 * tab that is not escaped, `\N` is NULL. Work is linear in the input, whatever the size of one record.
 */
import { MeridianError } from '@meridian/core';

const BACKSLASH = 0x5c;

/** How many backslashes end `text` before position `end` (stopping at `start`). */
function backslashesBefore(text: string, end: number, start: number): number {
  let count = 0;
  for (let i = end - 1; i >= start && text.charCodeAt(i) === BACKSLASH; i--) count++;
  return count;
}

/**
 * Splits a stream of text into records, yielding the records each chunk completes (one await per chunk,
 * not per record). A record longer than `maxRecordChars` is FEATURE_TOO_LARGE: the reader would
 * otherwise hold an unbounded feature in memory.
 */
export async function* copyRecords(chunks: AsyncIterable<string>, maxRecordChars: number): AsyncGenerator<string[]> {
  let pieces: string[] = [];
  let pendingLength = 0;
  // Backslashes at the end of the pending pieces: they may escape a newline at the start of the next chunk.
  let pendingBackslashes = 0;
  for await (const chunk of chunks) {
    const records: string[] = [];
    let start = 0;
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', from);
      if (newline < 0) break;
      let backslashes = backslashesBefore(chunk, newline, start);
      if (backslashes === newline - start && pieces.length) backslashes += pendingBackslashes;
      if (backslashes % 2 === 1) {
        from = newline + 1;
        continue;
      }
      const tail = chunk.slice(start, newline);
      records.push(pieces.length ? pieces.join('') + tail : tail);
      pieces = [];
      pendingLength = 0;
      pendingBackslashes = 0;
      start = from = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.slice(start);
      const trailing = backslashesBefore(rest, rest.length, 0);
      pendingBackslashes = trailing === rest.length ? pendingBackslashes + trailing : trailing;
      pieces.push(rest);
      pendingLength += rest.length;
      if (pendingLength > maxRecordChars) {
        throw new MeridianError('FEATURE_TOO_LARGE', `a feature is more than ${maxRecordChars} characters long in the loader's stream (about ${Math.round(maxRecordChars / 32)} vertices); it is too large to load`, { limit_chars: maxRecordChars });
      }
    }
    if (records.length) yield records;
  }
  if (pieces.length) yield [pieces.join('')];
}

const ESCAPE = /\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|([\s\S]))/g;
const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One field's value: `\N` is NULL, escapes are resolved. */
export function decodeCopyField(field: string): string | null {
  if (field.indexOf('\\') < 0) return field;
  if (field === '\\N') return null;
  return field.replace(ESCAPE, (_, octal: string | undefined, hex: string | undefined, char: string) => {
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return SIMPLE_ESCAPES[char] ?? char;
  });
}

/** The decoded fields of one record. */
export function splitCopyRecord(record: string): (string | null)[] {
  const parts = record.split('\t');
  if (record.indexOf('\\') < 0) return parts;
  const fields: (string | null)[] = [];
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    // A tab after an odd run of backslashes belongs to the value.
    while (backslashesBefore(part, part.length, 0) % 2 === 1 && i + 1 < parts.length) part = `${part}\t${parts[++i]!}`;
    fields.push(decodeCopyField(part));
  }
  return fields;
}

/** The column names of a `COPY "schema"."table" ("a", "b") FROM STDIN;` statement. */
export function copyStatementColumns(statement: string): string[] {
  const list = /\((.*)\) FROM STDIN;$/.exec(statement)?.[1];
  if (list === undefined) throw new Error(`not a COPY statement: ${statement.slice(0, 200)}`);
  return [...list.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
}
