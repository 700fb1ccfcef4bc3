import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { registerSecret } from '@meridian/core';
import { createLogger } from '../src/logger.ts';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('redacts URL passwords and registered secrets in messages, fields and errors', () => {
    registerSecret('an-account-key-123');
    const { stream, lines } = capture();
    const log = createLogger('info', stream);
    const error = Object.assign(new Error('upload failed with an-account-key-123 at postgres://u:pw1234@db/x'), { code: 'E_TEST' });
    log.error({ err: error, target: 'azure://acct:an-account-key-123@host' }, 'failed postgres://u:pw1234@db/x');
    const [line] = lines();
    const text = JSON.stringify(line);
    assert.doesNotMatch(text, /an-account-key-123|pw1234/);
    const err = line!.err as Record<string, unknown>;
    assert.equal(err.type, 'Error');
    assert.equal(err.code, 'E_TEST');
    assert.match(String(err.message), /upload failed with \*\*\*/);
    assert.match(String(line!.msg), /postgres:\/\/u:\*\*\*@db/);
  });
});
