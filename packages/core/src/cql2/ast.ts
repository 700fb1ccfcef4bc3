/**
 * The one AST both CQL2 encodings parse to. Text and JSON spellings of the same filter give deep-equal trees,
 * so a compiler only ever sees this shape.
 *
 * Predicates (boolean-valued operations) carry `op`; every other node is told apart by its one key
 * (`property`, `literal`, `function`, ...), so `'op' in node` separates predicates from values.
 * Normalizations: operator names use the CQL2 JSON spelling; NOT LIKE / NOT BETWEEN / NOT IN / IS NOT NULL
 * become `not` around the positive predicate; nested AND/OR of the same kind are flattened; unary minus on a
 * non-literal becomes `-1 * x` (a negative number literal stays a literal); timestamps lose trailing zero
 * fractional seconds; -0 becomes 0.
 */
import type {
  ARITHMETIC_OPERATORS,
  ARRAY_OPERATORS,
  COMPARISON_OPERATORS,
  SPATIAL_OPERATORS,
  TEMPORAL_OPERATORS,
} from './operators.ts';
import type { Bbox, Geometry } from './geometry.ts';

export type {
  Bbox, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, Position,
  SimpleGeometry,
} from './geometry.ts';

export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export type SpatialOperator = (typeof SPATIAL_OPERATORS)[number];
export type TemporalOperator = (typeof TEMPORAL_OPERATORS)[number];
export type ArrayOperator = (typeof ARRAY_OPERATORS)[number];
export type ArithmeticOperator = (typeof ARITHMETIC_OPERATORS)[number];

// ---- values ----------------------------------------------------------------------------------------------

export interface StringLiteral { literal: string }
/** Always finite; never -0. */
export interface NumberLiteral { literal: number }
export interface BooleanLiteral { literal: boolean }
export type Literal = StringLiteral | NumberLiteral | BooleanLiteral;

export interface PropertyRef { property: string }
/** A call to a function that is not a CQL2 built-in; the name keeps the case it was written in. */
export interface FunctionCall { function: string; args: Expression[] }
export interface GeometryLiteral { geometry: Geometry }
export interface BboxLiteral { bbox: Bbox }
/** 'YYYY-MM-DD', a valid calendar date. */
export interface DateLiteral { date: string }
/** 'YYYY-MM-DDThh:mm:ss[.f]Z' in UTC, a valid instant. */
export interface TimestampLiteral { timestamp: string }
/** '..' is an open end. */
export type IntervalBound = DateLiteral | TimestampLiteral | PropertyRef | FunctionCall | '..';
export interface IntervalLiteral { interval: [IntervalBound, IntervalBound] }
export interface ArrayLiteral { array: Expression[] }
export interface CaseInsensitive { casei: CharacterExpression }
export interface AccentInsensitive { accenti: CharacterExpression }
export interface Arithmetic { arith: ArithmeticOperator; args: [NumericExpression, NumericExpression] }

export type CharacterExpression = StringLiteral | CaseInsensitive | AccentInsensitive | PropertyRef | FunctionCall;
/** A LIKE pattern is always a string literal, possibly wrapped in CASEI/ACCENTI; `\` escapes `%` and `_`. */
export type PatternExpression = StringLiteral | { casei: PatternExpression } | { accenti: PatternExpression };
export type NumericExpression = NumberLiteral | Arithmetic | PropertyRef | FunctionCall;
export type ScalarExpression =
  | Literal
  | CaseInsensitive
  | AccentInsensitive
  | DateLiteral
  | TimestampLiteral
  | Arithmetic
  | PropertyRef
  | FunctionCall;
export type SpatialExpression = GeometryLiteral | BboxLiteral | PropertyRef | FunctionCall;
export type TemporalExpression = DateLiteral | TimestampLiteral | IntervalLiteral | PropertyRef | FunctionCall;
export type ArrayExpression = ArrayLiteral | PropertyRef | FunctionCall;

// ---- predicates ------------------------------------------------------------------------------------------

/** At least two args, none of them another predicate with the same op. */
export interface LogicalPredicate { op: 'and' | 'or'; args: BooleanExpression[] }
export interface NotPredicate { op: 'not'; arg: BooleanExpression }
export interface ComparisonPredicate { op: ComparisonOperator; args: [ScalarExpression, ScalarExpression] }
export interface LikePredicate { op: 'like'; args: [CharacterExpression, PatternExpression] }
/** args: [value, low, high]. */
export interface BetweenPredicate { op: 'between'; args: [NumericExpression, NumericExpression, NumericExpression] }
/** args: [value, non-empty list]. */
export interface InPredicate { op: 'in'; args: [ScalarExpression, ScalarExpression[]] }
export interface IsNullPredicate { op: 'isNull'; arg: Expression }
export interface SpatialPredicate { op: SpatialOperator; args: [SpatialExpression, SpatialExpression] }
export interface TemporalPredicate { op: TemporalOperator; args: [TemporalExpression, TemporalExpression] }
export interface ArrayPredicate { op: ArrayOperator; args: [ArrayExpression, ArrayExpression] }

export type Predicate =
  | LogicalPredicate
  | NotPredicate
  | ComparisonPredicate
  | LikePredicate
  | BetweenPredicate
  | InPredicate
  | IsNullPredicate
  | SpatialPredicate
  | TemporalPredicate
  | ArrayPredicate;

/** What a whole filter, and each operand of AND/OR/NOT, is. */
export type BooleanExpression = Predicate | BooleanLiteral | FunctionCall;

export type Expression =
  | Predicate
  | Literal
  | PropertyRef
  | FunctionCall
  | GeometryLiteral
  | BboxLiteral
  | DateLiteral
  | TimestampLiteral
  | IntervalLiteral
  | ArrayLiteral
  | CaseInsensitive
  | AccentInsensitive
  | Arithmetic;
