import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isMeridianError } from '@meridian/core';
import { compileExpression } from '../src/index.ts';

function evaluate(text: string, values: number[]): number[] {
  return compileExpression(text, values.length).parts.map((part) => part(values));
}

function rejects(text: string, pattern: RegExp, bandCount = 4): void {
  assert.throws(() => compileExpression(text, bandCount), (error: unknown) => {
    assert.ok(isMeridianError(error));
    assert.equal(error.code, 'RASTER_EXPRESSION_INVALID');
    assert.equal(error.status, 400);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('band math expressions', () => {
  it('evaluates arithmetic with precedence, unary minus, power and functions', () => {
    assert.deepEqual(evaluate('(b4-b3)/(b4+b3)', [0, 0, 2, 6]), [0.5]);
    assert.deepEqual(evaluate('b1 + b2 * 3', [1, 2]), [7]);
    assert.deepEqual(evaluate('-b1^2', [3]), [-9]);
    assert.deepEqual(evaluate('2^3^2', [0]), [512]);
    assert.deepEqual(evaluate('b1 ** 2', [3]), [9]);
    assert.deepEqual(evaluate('sqrt(abs(b1)) + max(b1, 10) + log(1)', [-16]), [14]);
    assert.deepEqual(evaluate('1.5e2 + .5', [0]), [150.5]);
  });

  it('splits ";" into one output band each and lists the bands it reads', () => {
    const compiled = compileExpression('b1*2; b3-b1', 3);
    assert.equal(compiled.parts.length, 2);
    assert.deepEqual(compiled.bands, [1, 3]);
    assert.deepEqual(compiled.parts.map((p) => p([1, 0, 5])), [2, 4]);
  });

  it('rejects malformed input with the position and never evaluates code', () => {
    rejects('(b1 + b2', /expected "\)"/);
    rejects('b1 +', /unexpected end/);
    rejects('b1 b2', /unexpected "b2"/);
    rejects('b9 * 2', /band b9 does not exist/);
    rejects('process.exit(1)', /unexpected character|unknown name/);
    rejects('constructor', /unknown name "constructor"/);
    rejects('', /empty expression/);
    rejects('sqrt(b1, b2)', /expected "\)"/);
    rejects('b1 $ 2', /unexpected character/);
  });

  it('enforces limits on length and nesting', () => {
    rejects(`${'('.repeat(40)}b1${')'.repeat(40)}`, /nesting deeper/);
    rejects('b1+'.repeat(400) + 'b1', /longer than/);
  });
});
