/**
 * Splits CQL2 text into tokens, each with its 0-based start offset for error messages.
 * Numbers are unsigned here: whether '-' is a sign or subtraction depends on context the parser has.
 */
import { excerpt, textError } from './cql2-errors.ts';

export type TokenSymbol = '(' | ')' | ',' | '=' | '<>' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | '^';

/** `text` is the source slice the token came from. */
export type Token =
  | { kind: 'identifier'; name: string; start: number; text: string }
  | { kind: 'quotedIdentifier'; name: string; start: number; text: string }
  | { kind: 'string'; value: string; start: number; text: string }
  | { kind: 'number'; value: number; start: number; text: string }
  | { kind: 'symbol'; symbol: TokenSymbol; start: number; text: string }
  | { kind: 'end'; start: number; text: string };

// The whitespace and identifier character sets of the CQL2 BNF.
const WHITESPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/y;
const IDENTIFIER_START =
  ':_A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFE\\u200C\\u200D\\u2070-\\u218F' +
  '\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const IDENTIFIER = new RegExp(`[${IDENTIFIER_START}][${IDENTIFIER_START}.0-9\\u0300-\\u036F\\u203F\\u2040]*`, 'uy');
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
/** A character that may not directly follow a number (so `12abc` or `1.2.3` is an error, not two tokens). */
const AFTER_NUMBER = new RegExp(`[${IDENTIFIER_START}.0-9]`, 'u');

const TWO_CHAR_SYMBOLS: readonly TokenSymbol[] = ['<>', '<=', '>='];
const ONE_CHAR_SYMBOLS: readonly TokenSymbol[] = ['(', ')', ',', '=', '<', '>', '+', '-', '*', '/', '%', '^'];

/** Backslash escapes inside string literals (CQL2 /req/cql2-text/escaping); any other `\x` is kept as written. */
const ESCAPES: Readonly<Record<string, string>> = {
  "'": "'", '\\': '\\', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r',
};

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    WHITESPACE.lastIndex = i;
    if (WHITESPACE.test(source)) i = WHITESPACE.lastIndex;
    if (i >= source.length) {
      tokens.push({ kind: 'end', start: i, text: '' });
      return tokens;
    }
    const token = readToken(source, i);
    tokens.push(token);
    i += token.text.length;
  }
}

function readToken(source: string, start: number): Token {
  const c = source[start]!;
  if (c === "'") return readString(source, start);
  if (c === '"') return readQuotedIdentifier(source, start);

  NUMBER.lastIndex = start;
  const number = NUMBER.exec(source);
  if (number) {
    const end = start + number[0].length;
    if (AFTER_NUMBER.test(source[end] ?? '')) throw textError(`malformed number '${excerpt(source.slice(start, end + 1))}'`, start);
    const value = Number(number[0]);
    if (!Number.isFinite(value)) throw textError(`number '${excerpt(number[0])}' is out of range`, start);
    return { kind: 'number', value, start, text: number[0] };
  }

  IDENTIFIER.lastIndex = start;
  const identifier = IDENTIFIER.exec(source);
  if (identifier) return { kind: 'identifier', name: identifier[0], start, text: identifier[0] };

  const two = source.slice(start, start + 2);
  const symbol = TWO_CHAR_SYMBOLS.find((s) => s === two) ?? ONE_CHAR_SYMBOLS.find((s) => s === c);
  if (symbol !== undefined) return { kind: 'symbol', symbol, start, text: symbol };
  if (two === '!=') throw textError("'!=' is not a CQL2 operator; use '<>'", start);
  throw textError(`unexpected character '${String.fromCodePoint(source.codePointAt(start)!)}'`, start);
}

function readString(source: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "'") {
      if (source[i + 1] !== "'") return { kind: 'string', value, start, text: source.slice(start, i + 1) };
      value += "'";
      i += 2;
    } else if (c === '\\' && i + 1 < source.length) {
      const escaped = ESCAPES[source[i + 1]!];
      value += escaped ?? source.slice(i, i + 2);
      i += 2;
    } else {
      value += c;
      i += 1;
    }
  }
  throw textError("unterminated string: no closing ' for the string that starts", start);
}

function readQuotedIdentifier(source: string, start: number): Token {
  let name = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' && source[i + 1] === '"') {
      name += '"';
      i += 2;
    } else if (c === '"') {
      if (name === '') throw textError('empty quoted property name', start);
      return { kind: 'quotedIdentifier', name, start, text: source.slice(start, i + 1) };
    } else {
      name += c;
      i += 1;
    }
  }
  throw textError('unterminated property name: no closing " for the name that starts', start);
}

const WHOLE_IDENTIFIER = new RegExp(`^(?:${IDENTIFIER.source})$`, 'u');

/** True when `text` could be written unquoted in CQL2 text (as a property or function name). */
export function isIdentifier(text: string): boolean {
  return WHOLE_IDENTIFIER.test(text);
}
