/** Shared checks for the CQL2 tests: both encodings of a filter must give the same AST. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isMeridianError, parseCql2Json, parseCql2Text, type Cql2, type Cql2ParseOptions } from '../../src/index.ts';

/** Registers a test: `text` and `json` parse to deep-equal ASTs, equal to `ast` when given. */
export function equivalent(title: string, text: string, json: unknown, ast?: Cql2.BooleanExpression, options?: Cql2ParseOptions): void {
  it(title, () => {
    const fromText = parseCql2Text(text, options);
    const fromJson = parseCql2Json(json, options);
    assert.deepEqual(fromText, fromJson, 'text and JSON encodings differ');
    if (ast !== undefined) assert.deepEqual(fromText, ast);
  });
}

/** `parse` throws CQL2_INVALID whose message matches `message` and whose extra matches `extra`. */
export function assertCql2Invalid(parse: () => unknown, message: RegExp, extra?: Record<string, unknown>): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(isMeridianError(error), `expected a MeridianError, got ${String(error)}`);
    assert.equal(error.code, 'CQL2_INVALID');
    assert.equal(error.status, 400);
    assert.match(error.message, message);
    for (const [key, value] of Object.entries(extra ?? {})) assert.deepEqual(error.extra[key], value, `extra.${key}`);
    return true;
  });
}

export function assertTextInvalid(text: string, message: RegExp, position?: number, options?: Cql2ParseOptions): void {
  assertCql2Invalid(() => parseCql2Text(text, options), message, position === undefined ? undefined : { position });
}

export function assertJsonInvalid(json: unknown, message: RegExp, path?: string, options?: Cql2ParseOptions): void {
  assertCql2Invalid(() => parseCql2Json(json, options), message, path === undefined ? undefined : { path });
}

/** `{property: name}` */
export const prop = (property: string): Cql2.PropertyRef => ({ property });
/** `{literal: value}` */
export const lit = <T extends string | number | boolean>(literal: T): { literal: T } => ({ literal });
