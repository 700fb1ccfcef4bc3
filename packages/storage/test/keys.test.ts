import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeridianError } from '@meridian/core';
import { ZONES, assertContainer, assertKey, assertPrefix, compareKeys, isValidContainer, isValidKey, zoneOf } from '../src/index.ts';

const throwsCode = (fn: () => void, code: string) => assert.throws(fn, (error) => error instanceof MeridianError && error.code === code);

describe('container names', () => {
  it('names the zone of a container', () => {
    assert.deepEqual([...ZONES], ['bronze', 'silver', 'external']);
    assert.equal(zoneOf('bronze-raw'), 'bronze');
    assert.equal(zoneOf('silver-2024-tiles'), 'silver');
    assert.equal(zoneOf('external-partner-a'), 'external');
    throwsCode(() => zoneOf('gold-x'), 'INVALID_CONTAINER_NAME');
  });

  it('follows the Azure rules: 3 to 63 characters, lower case, single inner hyphens', () => {
    for (const name of ['bronze-a', 'silver-0-1', `external-${'a'.repeat(54)}`]) assert.ok(isValidContainer(name), name);
    for (const name of ['bronze-A', 'bronze--a', 'bronze-a-', 'bronze-', `external-${'a'.repeat(55)}`, 'bronze.a', 'bronzea']) {
      assert.ok(!isValidContainer(name), name);
    }
  });

  it('says what is wrong', () => {
    assert.throws(() => assertContainer('other-x'), /zone prefix/);
    assert.throws(() => assertContainer('Bronze-x'), /lower-case/);
  });
});

describe('keys', () => {
  it('accepts relative paths of up to 1024 characters', () => {
    for (const key of ['a', 'a/b/c.tif', '.hidden', 'a/..b', 'a./b', '日本/🌍', 'x'.repeat(1024)]) assert.ok(isValidKey(key), key);
  });

  it('names the problem and escapes control characters in the message', () => {
    assert.throws(() => assertKey('a\u0000b'), (error) => error instanceof MeridianError && /control characters/.test(error.message) && error.message.includes('\\u0000'));
    assert.throws(() => assertKey('a//b'), /empty segments/);
    assert.throws(() => assertKey('../x'), /"\." or "\.\." segments/);
    assert.throws(() => assertKey('x'.repeat(1025)), /1025 characters/);
    assert.throws(() => assertKey('\uDC00'), /UTF-8/);
  });

  it('lets prefixes end with "/" or a partial segment, but not climb', () => {
    for (const prefix of ['', 'a/', 'a/b', 'a/.', 'a/..']) assertPrefix(prefix);
    for (const prefix of ['../', 'a/../b', '/a', 'a//']) throwsCode(() => assertPrefix(prefix), 'INVALID_BLOB_KEY');
  });
});

describe('key order', () => {
  it('is code point (UTF-8 byte) order, not UTF-16 order', () => {
    const keys = ['\uFF21', '\u{1F30D}', 'a', 'A', 'a/b', 'a-b'];
    assert.deepEqual([...keys].sort(compareKeys), ['A', 'a', 'a-b', 'a/b', '\uFF21', '\u{1F30D}']);
    const utf8 = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...keys].sort(compareKeys), utf8);
  });
});
