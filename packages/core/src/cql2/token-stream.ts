/** A cursor over text tokens, shared by the expression parser and the WKT reader. */
import { excerpt, textError } from './cql2-errors.ts';
import type { Token, TokenSymbol } from './lexer.ts';

export class TokenStream {
  private index = 0;

  /** `tokens` ends with the 'end' token, as tokenize() returns it. */
  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  isSymbol(symbol: TokenSymbol, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'symbol' && token.symbol === symbol;
  }

  /** `word` in upper case; keywords are case-insensitive. */
  isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'identifier' && token.name.toUpperCase() === word;
  }

  acceptSymbol(symbol: TokenSymbol): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.next();
    return true;
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  expectSymbol(symbol: TokenSymbol): Token {
    if (!this.isSymbol(symbol)) this.fail(`'${symbol}'`);
    return this.next();
  }

  expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.fail(word);
    return this.next();
  }

  /** Throws "expected <expected>, found <token> at <offset>". */
  fail(expected: string, token: Token = this.peek()): never {
    throw textError(`expected ${expected}, found ${describeToken(token)}`, token.start);
  }
}

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  const text = excerpt(token.text);
  return token.kind === 'string' ? `the string ${text}` : `'${text}'`;
}
