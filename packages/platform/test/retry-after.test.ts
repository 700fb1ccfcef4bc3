import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryAfterSeconds } from '../src/index.ts';

test('Retry-After follows the contract: 5 s under 30 s, 10 s under 2 min, 15 s under 10 min, else 30 s', () => {
  assert.deepEqual([0, 29.9, 30, 119, 120, 599, 600, 86_400].map(retryAfterSeconds), [5, 5, 10, 10, 15, 15, 30, 30]);
});
