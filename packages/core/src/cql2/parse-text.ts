/**
 * CQL2 text → AST, by recursive descent over the BNF's precedence levels:
 * OR < AND < NOT < predicates (comparison, LIKE, BETWEEN, IN, IS NULL) < + - < * / % div < ^ < unary minus.
 * Each level parses an expression of any kind and the enclosing construct checks the kind it needs
 * (operand-kinds.ts), which keeps the grammar small and the error messages specific.
 */
import type {
  ArrayExpression,
  ArithmeticOperator,
  BooleanExpression,
  ComparisonOperator,
  Expression,
  IntervalBound,
  PatternExpression,
  Predicate,
  ScalarExpression,
} from './ast.ts';
import { excerpt, textError } from './cql2-errors.ts';
import { functionNameProblem, type Cql2ParseOptions } from './function-names.ts';
import { tokenize, type Token } from './lexer.ts';
import { checkFilterSize, MAX_NESTING_DEPTH } from './limits.ts';
import {
  canonicalDate,
  canonicalNumber,
  canonicalTimestamp,
  DATE_FORMAT,
  intervalBoundFromString,
  TIMESTAMP_FORMAT,
} from './literals.ts';
import { logical } from './logical.ts';
import {
  ARRAY,
  BOOLEAN,
  CHARACTER,
  describeExpression,
  INTERVAL_BOUND,
  NUMERIC,
  SCALAR,
  SPATIAL,
  TEMPORAL,
  type OperandKind,
} from './operand-kinds.ts';
import {
  ARRAY_KEYWORDS,
  COMPARISON_OPERATORS,
  GEOMETRY_KEYWORDS,
  isOneOf,
  OPERATOR_KEYWORDS,
  SPATIAL_KEYWORDS,
  TEMPORAL_KEYWORDS,
} from './operators.ts';
import { TokenStream } from './token-stream.ts';
import { readSpatialLiteral } from './wkt.ts';

/** Parses a cql2-text filter; throws MeridianError CQL2_INVALID with `position` (0-based offset). */
export function parseCql2Text(text: string, options: Cql2ParseOptions = {}): BooleanExpression {
  checkFilterSize(text);
  return new TextParser(new TokenStream(tokenize(text)), options).parseFilter();
}

const ADDITIVE: readonly ArithmeticOperator[] = ['+', '-'];
const MULTIPLICATIVE: readonly ArithmeticOperator[] = ['*', '/', '%', 'div'];

class TextParser {
  private depth = 0;

  constructor(
    private readonly tokens: TokenStream,
    private readonly options: Cql2ParseOptions,
  ) {}

  parseFilter(): BooleanExpression {
    if (this.tokens.peek().kind === 'end') this.tokens.fail('a filter expression');
    const start = this.tokens.peek().start;
    const filter = this.parseOr();
    // Syntax before kinds: in `"f"(x)` the '(' is the mistake, not the property.
    if (this.tokens.peek().kind !== 'end') this.tokens.fail('AND, OR or the end of the filter');
    return this.checked(BOOLEAN, filter, start);
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /** Parses with `parse` and checks the result is of `kind`, reporting the position where it started. */
  private operand<T extends Expression>(kind: OperandKind<T>, parse: () => Expression): T {
    const start = this.tokens.peek().start;
    return this.checked(kind, parse(), start);
  }

  private checked<T extends Expression>(kind: OperandKind<T>, node: Expression, start: number): T {
    if (kind.matches(node)) return node;
    throw textError(`expected ${kind.expected}, found ${describeExpression(node)}`, start);
  }

  private enter(position: number): void {
    this.depth += 1;
    if (this.depth > MAX_NESTING_DEPTH) throw textError(`the filter nests more than ${MAX_NESTING_DEPTH} levels deep`, position);
  }

  private nested<T>(position: number, parse: () => T): T {
    this.enter(position);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  /** "(" [item {"," item}] ")" */
  private parseList<T>(parseItem: () => T, allowEmpty: boolean): T[] {
    const open = this.tokens.expectSymbol('(');
    return this.nested(open.start, () => {
      const items: T[] = [];
      if (allowEmpty && this.tokens.acceptSymbol(')')) return items;
      items.push(parseItem());
      while (!this.tokens.acceptSymbol(')')) {
        if (!this.tokens.acceptSymbol(',')) this.tokens.fail("',' or ')'");
        items.push(parseItem());
      }
      return items;
    });
  }

  /** "(" a "," b ")" */
  private parsePair<T>(parseItem: () => T): [T, T] {
    const open = this.tokens.expectSymbol('(');
    return this.nested(open.start, () => {
      const first = parseItem();
      this.tokens.expectSymbol(',');
      const second = parseItem();
      this.tokens.expectSymbol(')');
      return [first, second];
    });
  }

  // ---- boolean levels ------------------------------------------------------------------------------------

  private parseOr(): Expression {
    return this.parseLogical('OR', () => this.parseAnd());
  }

  private parseAnd(): Expression {
    return this.parseLogical('AND', () => this.parseNot());
  }

  private parseLogical(keyword: 'AND' | 'OR', parseOperand: () => Expression): Expression {
    const start = this.tokens.peek().start;
    const first = parseOperand();
    if (!this.tokens.isKeyword(keyword)) return first;
    const args = [this.checked(BOOLEAN, first, start)];
    while (this.tokens.acceptKeyword(keyword)) args.push(this.operand(BOOLEAN, parseOperand));
    return logical(keyword === 'AND' ? 'and' : 'or', args);
  }

  private parseNot(): Expression {
    const not = this.tokens.peek();
    if (!this.tokens.acceptKeyword('NOT')) return this.parsePredicate();
    return this.nested(not.start, () => ({ op: 'not', arg: this.operand(BOOLEAN, () => this.parseNot()) }));
  }

  private parsePredicate(): Expression {
    const start = this.tokens.peek().start;
    const left = this.parseAdditive();
    const next = this.tokens.peek();
    if (next.kind === 'symbol' && isOneOf<ComparisonOperator>(COMPARISON_OPERATORS, next.symbol)) {
      this.tokens.next();
      const right = this.operand(SCALAR, () => this.parseAdditive());
      return { op: next.symbol, args: [this.checked(SCALAR, left, start), right] };
    }
    if (this.tokens.acceptKeyword('IS')) {
      const negated = this.tokens.acceptKeyword('NOT');
      this.tokens.expectKeyword('NULL');
      return negated ? { op: 'not', arg: { op: 'isNull', arg: left } } : { op: 'isNull', arg: left };
    }
    const negated = this.tokens.acceptKeyword('NOT');
    let predicate: Predicate;
    if (this.tokens.acceptKeyword('LIKE')) {
      predicate = { op: 'like', args: [this.checked(CHARACTER, left, start), this.parsePattern()] };
    } else if (this.tokens.acceptKeyword('BETWEEN')) {
      const low = this.operand(NUMERIC, () => this.parseAdditive());
      this.tokens.expectKeyword('AND');
      const high = this.operand(NUMERIC, () => this.parseAdditive());
      predicate = { op: 'between', args: [this.checked(NUMERIC, left, start), low, high] };
    } else if (this.tokens.acceptKeyword('IN')) {
      predicate = { op: 'in', args: [this.checked(SCALAR, left, start), this.parseInList()] };
    } else if (negated) {
      this.tokens.fail('LIKE, BETWEEN or IN after NOT');
    } else {
      return left;
    }
    return negated ? { op: 'not', arg: predicate } : predicate;
  }

  private parseInList(): ScalarExpression[] {
    if (this.tokens.isSymbol('(') && this.tokens.isSymbol(')', 1)) this.tokens.fail('at least one value in the IN list', this.tokens.peek(1));
    return this.parseList(() => this.operand(SCALAR, () => this.parseAdditive()), false);
  }

  private parsePattern(): PatternExpression {
    const token = this.tokens.peek();
    if (token.kind === 'string') {
      this.tokens.next();
      return { literal: token.value };
    }
    if ((this.tokens.isKeyword('CASEI') || this.tokens.isKeyword('ACCENTI')) && this.tokens.isSymbol('(', 1)) {
      const wrapper = this.tokens.next();
      const inner = this.parseSingle(() => this.parsePattern());
      return wrapper.text.toUpperCase() === 'CASEI' ? { casei: inner } : { accenti: inner };
    }
    this.tokens.fail('a string pattern, optionally wrapped in CASEI() or ACCENTI()');
  }

  // ---- arithmetic levels ---------------------------------------------------------------------------------

  private parseAdditive(): Expression {
    return this.parseChain(ADDITIVE, () => this.parseMultiplicative());
  }

  private parseMultiplicative(): Expression {
    return this.parseChain(MULTIPLICATIVE, () => this.parsePower());
  }

  /** Left-associative; each further operator counts as one more level of nesting, as it is in the tree. */
  private parseChain(operators: readonly ArithmeticOperator[], parseOperand: () => Expression): Expression {
    const start = this.tokens.peek().start;
    let left = parseOperand();
    const depthBefore = this.depth;
    try {
      for (let op = this.arithmeticOperator(operators); op !== undefined; op = this.arithmeticOperator(operators)) {
        this.enter(this.tokens.next().start);
        const right = this.operand(NUMERIC, parseOperand);
        left = { arith: op, args: [this.checked(NUMERIC, left, start), right] };
      }
    } finally {
      this.depth = depthBefore;
    }
    return left;
  }

  private arithmeticOperator(operators: readonly ArithmeticOperator[]): ArithmeticOperator | undefined {
    const token = this.tokens.peek();
    const name = token.kind === 'symbol' ? token.symbol : token.kind === 'identifier' ? token.name.toLowerCase() : '';
    return operators.find((op) => op === name);
  }

  /** The BNF allows one "^" per term: `a ^ b ^ c` has to be parenthesized. */
  private parsePower(): Expression {
    const start = this.tokens.peek().start;
    const base = this.parseUnary();
    const caret = this.tokens.peek();
    if (!this.tokens.acceptSymbol('^')) return base;
    return this.nested(caret.start, () => ({
      arith: '^',
      args: [this.checked(NUMERIC, base, start), this.operand(NUMERIC, () => this.parseUnary())],
    }));
  }

  /** A sign on a number is part of the literal; "-" before anything else is `-1 * x`, as CQL2 JSON writes it. */
  private parseUnary(): Expression {
    const sign = this.tokens.peek();
    const number = this.tokens.peek(1);
    if (sign.kind === 'symbol' && (sign.symbol === '-' || sign.symbol === '+') && number.kind === 'number') {
      this.tokens.next();
      this.tokens.next();
      return { literal: canonicalNumber(sign.symbol === '-' ? -number.value : number.value) };
    }
    if (!this.tokens.acceptSymbol('-')) return this.parsePrimary();
    return this.nested(sign.start, () => ({
      arith: '*',
      args: [{ literal: -1 }, this.operand(NUMERIC, () => this.parseUnary())],
    }));
  }

  // ---- primaries -----------------------------------------------------------------------------------------

  private parsePrimary(): Expression {
    const token = this.tokens.peek();
    switch (token.kind) {
      case 'number':
        this.tokens.next();
        return { literal: canonicalNumber(token.value) };
      case 'string':
        this.tokens.next();
        return { literal: token.value };
      case 'quotedIdentifier':
        this.tokens.next();
        return { property: token.name };
      case 'identifier':
        return this.parseWord(token);
      case 'symbol':
        if (token.symbol === '(') return this.parseParenthesized();
        break;
      case 'end':
        break;
    }
    this.tokens.fail('an expression');
  }

  /** A parenthesized expression, or an array when it holds no item or several. */
  private parseParenthesized(): Expression {
    const open = this.tokens.expectSymbol('(');
    return this.nested(open.start, () => {
      if (this.tokens.acceptSymbol(')')) return { array: [] };
      const first = this.parseOr();
      if (this.tokens.acceptSymbol(')')) return first;
      if (!this.tokens.isSymbol(',')) this.tokens.fail("')'");
      const items = [first];
      while (this.tokens.acceptSymbol(',')) items.push(this.parseOr());
      this.tokens.expectSymbol(')');
      return { array: items };
    });
  }

  private parseWord(token: Extract<Token, { kind: 'identifier' }>): Expression {
    const word = token.name.toUpperCase();
    if (word === 'TRUE' || word === 'FALSE') {
      this.tokens.next();
      return { literal: word === 'TRUE' };
    }
    if (word === 'NULL') throw textError('NULL can only be tested with IS NULL or IS NOT NULL', token.start);
    if (OPERATOR_KEYWORDS.has(word)) this.tokens.fail('an expression');
    const isCall = this.tokens.isSymbol('(', 1);
    if (GEOMETRY_KEYWORDS.has(word) && (isCall || this.tokens.isKeyword('Z', 1) || this.tokens.isKeyword('EMPTY', 1))) {
      return readSpatialLiteral(this.tokens);
    }
    this.tokens.next();
    return isCall ? this.parseCall(token, word) : { property: token.name };
  }

  /** A built-in or function call; the stream is at its "(". */
  private parseCall(token: Extract<Token, { kind: 'identifier' }>, word: string): Expression {
    const spatial = SPATIAL_KEYWORDS.get(word);
    if (spatial !== undefined) return { op: spatial, args: this.parsePair(() => this.operand(SPATIAL, () => this.parseOr())) };
    const temporal = TEMPORAL_KEYWORDS.get(word);
    if (temporal !== undefined) return { op: temporal, args: this.parsePair(() => this.operand(TEMPORAL, () => this.parseOr())) };
    const array = ARRAY_KEYWORDS.get(word);
    if (array !== undefined) return { op: array, args: this.parsePair(() => this.parseArrayOperand()) };
    switch (word) {
      case 'CASEI':
        return { casei: this.parseSingle(() => this.operand(CHARACTER, () => this.parseOr())) };
      case 'ACCENTI':
        return { accenti: this.parseSingle(() => this.operand(CHARACTER, () => this.parseOr())) };
      case 'DATE':
        return { date: this.parseSingle(() => this.parseInstant(canonicalDate, `date ${DATE_FORMAT}`)) };
      case 'TIMESTAMP':
        return { timestamp: this.parseSingle(() => this.parseInstant(canonicalTimestamp, `timestamp ${TIMESTAMP_FORMAT}`)) };
      case 'INTERVAL':
        return { interval: this.parsePair(() => this.parseIntervalBound()) };
    }
    const problem = functionNameProblem(token.name, this.options);
    if (problem !== undefined) throw textError(problem, token.start);
    return { function: token.name, args: this.parseList(() => this.parseOr(), true) };
  }

  private parseSingle<T>(parseItem: () => T): T {
    const open = this.tokens.expectSymbol('(');
    return this.nested(open.start, () => {
      const item = parseItem();
      this.tokens.expectSymbol(')');
      return item;
    });
  }

  /** In an array function, "(...)" is always an array literal, even with one item. */
  private parseArrayOperand(): ArrayExpression {
    if (this.tokens.isSymbol('(')) return { array: this.parseList(() => this.parseOr(), true) };
    return this.operand(ARRAY, () => this.parseOr());
  }

  private parseInstant(canonical: (text: string) => string | undefined, expected: string): string {
    const token = this.tokens.peek();
    if (token.kind !== 'string') this.tokens.fail(`a quoted ${expected}`);
    this.tokens.next();
    const value = canonical(token.value);
    if (value === undefined) throw textError(`'${excerpt(token.value)}' is not a valid ${expected}`, token.start);
    return value;
  }

  private parseIntervalBound(): IntervalBound {
    const token = this.tokens.peek();
    if (token.kind !== 'string') return this.operand(INTERVAL_BOUND, () => this.parseAdditive());
    this.tokens.next();
    const bound = intervalBoundFromString(token.value);
    if (bound !== undefined) return bound;
    throw textError(
      `'${excerpt(token.value)}' is not an interval bound: use a date ${DATE_FORMAT}, a timestamp ${TIMESTAMP_FORMAT} or '..'`,
      token.start,
    );
  }
}
