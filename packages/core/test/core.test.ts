import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CATALOG, MeridianError, canonicalJson, postgresSlug, kebabSlug, redact, sha256Hex } from '../src/index.ts';

describe('error catalog', () => {
  it('gives every code an HTTP status, a message and a remedy', () => {
    for (const [code, spec] of Object.entries(ERROR_CATALOG)) {
      assert.match(code, /^[A-Z][A-Z0-9_]+$/);
      assert.ok(spec.status >= 400 && spec.status < 600, code);
      assert.ok(spec.message.length > 10, code);
      assert.ok(spec.remedy.length > 10, code);
    }
  });

  it('serializes an error with code, message, remedy and extra context', () => {
    const error = new MeridianError('INVALID_BLOB_KEY', 'key "../x" climbs out of its container', { key: '../x' });
    assert.equal(error.status, 400);
    assert.deepEqual(error.toJSON(), {
      code: 'INVALID_BLOB_KEY',
      message: 'key "../x" climbs out of its container',
      remedy: ERROR_CATALOG.INVALID_BLOB_KEY.remedy,
      category: 'validation',
      user_fixable: true,
      key: '../x',
    });
  });
});

describe('identifiers', () => {
  it('slugs table names by the platform contract', () => {
    assert.equal(postgresSlug('0085581_DR0104298_1'), 't_0085581_dr0104298_1');
    assert.equal(postgresSlug('Flood Data v1.0'), 'flood_data_v10');
    assert.equal(postgresSlug('__a--b  c__'), 'a_b_c');
    assert.equal(postgresSlug('2024_flood_data'), 't_2024_flood_data');
    assert.equal(postgresSlug('Ünïcode名前'), 'ncode');
    assert.equal(postgresSlug('x'.repeat(100)).length, 63);
  });

  it('slugs STAC ids with dashes', () => {
    assert.equal(kebabSlug('0085581_DR0104298 v1.0'), '0085581-dr0104298-v10');
  });

  it('hashes canonical JSON independent of key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    assert.equal(sha256Hex(canonicalJson({ a: 1, b: 2 })), sha256Hex(canonicalJson({ b: 2, a: 1 })));
  });
});

describe('redaction', () => {
  it('masks passwords in URLs', () => {
    assert.equal(redact('connect postgres://user:pa55word@db:5432/x failed'), 'connect postgres://user:***@db:5432/x failed');
    assert.equal(redact('http://example.org/a'), 'http://example.org/a');
  });
});
