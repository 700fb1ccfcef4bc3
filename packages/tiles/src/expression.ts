/**
 * Band math (TiTiler's `expression`): `b1`…`bN`, numbers, + - * / ^, unary minus, parentheses and a
 * few functions, several expressions separated by ";" (one output band each). Parsed by recursive
 * descent into a tree of closures — never eval — with limits on length, depth and band numbers.
 */
import { MeridianError } from '@meridian/core';

export const MAX_EXPRESSION_LENGTH = 1000;
const MAX_DEPTH = 32;
const MAX_OUTPUT_BANDS = 16;

const FUNCTIONS: Record<string, (value: number) => number> = {
  sqrt: Math.sqrt, abs: Math.abs, log: Math.log, log10: Math.log10, exp: Math.exp,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, floor: Math.floor, ceil: Math.ceil, round: Math.round,
};
const BINARY_FUNCTIONS: Record<string, (a: number, b: number) => number> = { min: Math.min, max: Math.max };

/** Evaluates one expression for one pixel: `values[i]` is band i+1. */
export type Evaluate = (values: Float64Array | number[]) => number;

export interface CompiledExpression {
  source: string;
  /** One per ";"-separated part. */
  parts: Evaluate[];
  /** The 1-based bands the expression reads, ascending. */
  bands: number[];
}

function fail(text: string, at: number, why: string): never {
  throw new MeridianError('RASTER_EXPRESSION_INVALID', `${why} at position ${at + 1} of "${text}"`, { parameter: 'expression', position: at + 1 });
}

type Token = { kind: 'number'; value: number; at: number } | { kind: 'name'; value: string; at: number } | { kind: 'op'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/^(),]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) fail(text, at + (text.slice(at).length - text.slice(at).trimStart().length), 'unexpected character');
    const start = match.index + match[0].length - (match[1] ?? match[2] ?? match[3] ?? '').length;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), at: start });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2].toLowerCase(), at: start });
    else tokens.push({ kind: 'op', value: match[3] === '**' ? '^' : match[3]!, at: start });
    at = pattern.lastIndex;
  }
  return tokens;
}

class Parser {
  #position = 0;
  readonly bands = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly bandCount: number,
  ) {}

  parse(): Evaluate {
    if (this.tokens.length === 0) fail(this.text, 0, 'empty expression');
    const result = this.#sum(0);
    const extra = this.tokens[this.#position];
    if (extra) fail(this.text, extra.at, `unexpected "${extra.value}"`);
    return result;
  }

  #peek(): Token | undefined {
    return this.tokens[this.#position];
  }

  #isOp(value: string): boolean {
    const token = this.#peek();
    return token?.kind === 'op' && token.value === value;
  }

  #expect(value: string): void {
    const token = this.#peek();
    if (!this.#isOp(value)) fail(this.text, token?.at ?? this.text.length, `expected "${value}"`);
    this.#position++;
  }

  #sum(depth: number): Evaluate {
    let left = this.#product(depth);
    while (this.#isOp('+') || this.#isOp('-')) {
      const op = this.tokens[this.#position++]!.value;
      const a = left, b = this.#product(depth);
      left = op === '+' ? (v) => a(v) + b(v) : (v) => a(v) - b(v);
    }
    return left;
  }

  #product(depth: number): Evaluate {
    let left = this.#unary(depth);
    while (this.#isOp('*') || this.#isOp('/')) {
      const op = this.tokens[this.#position++]!.value;
      const a = left, b = this.#unary(depth);
      left = op === '*' ? (v) => a(v) * b(v) : (v) => a(v) / b(v);
    }
    return left;
  }

  #unary(depth: number): Evaluate {
    if (this.#isOp('-')) {
      this.#position++;
      const operand = this.#unary(depth + 1);
      return (v) => -operand(v);
    }
    if (this.#isOp('+')) {
      this.#position++;
      return this.#unary(depth + 1);
    }
    return this.#power(depth);
  }

  /** Right-associative: b1^2^3 = b1^(2^3). */
  #power(depth: number): Evaluate {
    const base = this.#primary(depth);
    if (!this.#isOp('^')) return base;
    this.#position++;
    const exponent = this.#unary(depth + 1);
    return (v) => base(v) ** exponent(v);
  }

  #primary(depth: number): Evaluate {
    const token = this.#peek();
    if (depth > MAX_DEPTH) fail(this.text, token?.at ?? 0, `nesting deeper than ${MAX_DEPTH}`);
    if (!token) fail(this.text, this.text.length, 'unexpected end of expression');
    this.#position++;
    if (token.kind === 'number') {
      const value = token.value;
      return () => value;
    }
    if (token.kind === 'op') {
      if (token.value !== '(') fail(this.text, token.at, `unexpected "${token.value}"`);
      const inner = this.#sum(depth + 1);
      this.#expect(')');
      return inner;
    }
    const band = /^b(\d+)$/.exec(token.value);
    if (band) {
      const index = Number(band[1]);
      if (index < 1 || index > this.bandCount) fail(this.text, token.at, `band b${index} does not exist (the raster has b1..b${this.bandCount})`);
      this.bands.add(index);
      return (v) => v[index - 1]!;
    }
    return this.#call(token.value, token.at, depth);
  }

  #call(name: string, at: number, depth: number): Evaluate {
    // Own properties only: "constructor" or "__proto__" must not reach Object.prototype.
    const unary = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    const binary = Object.hasOwn(BINARY_FUNCTIONS, name) ? BINARY_FUNCTIONS[name] : undefined;
    if (!unary && !binary) fail(this.text, at, `unknown name "${name}" (use b1..bN or ${[...Object.keys(FUNCTIONS), ...Object.keys(BINARY_FUNCTIONS)].join(', ')})`);
    this.#expect('(');
    const first = this.#sum(depth + 1);
    if (unary) {
      this.#expect(')');
      return (v) => unary(first(v));
    }
    this.#expect(',');
    const second = this.#sum(depth + 1);
    this.#expect(')');
    return (v) => binary!(first(v), second(v));
  }
}

/** Parses `text` for a raster of `bandCount` bands; RASTER_EXPRESSION_INVALID on any error. */
export function compileExpression(text: string, bandCount: number): CompiledExpression {
  if (text.length > MAX_EXPRESSION_LENGTH) fail(text.slice(0, 40), 0, `expression longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const sources = text.split(';').map((part) => part.trim()).filter((part) => part.length > 0);
  if (sources.length === 0) fail(text, 0, 'empty expression');
  if (sources.length > MAX_OUTPUT_BANDS) fail(text, 0, `more than ${MAX_OUTPUT_BANDS} expressions`);
  const bands = new Set<number>();
  const parts = sources.map((source) => {
    const parser = new Parser(source, tokenize(source), bandCount);
    const evaluate = parser.parse();
    for (const band of parser.bands) bands.add(band);
    return evaluate;
  });
  return { source: text, parts, bands: [...bands].sort((a, b) => a - b) };
}
