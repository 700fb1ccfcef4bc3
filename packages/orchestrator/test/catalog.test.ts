import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { isMeridianError } from '@meridian/core';
import { BUILTIN_HANDLERS, BUILTIN_JOB_TYPES, HandlerRegistry, JobCatalog, defineJobType, jobIdFor, retryDelayMs, classifyError } from '../src/index.ts';
import { globMatcher } from '../src/glob.ts';
import { MeridianError } from '@meridian/core';

const catalog = new JobCatalog(BUILTIN_JOB_TYPES);

function rejects(fn: () => unknown, code: string, parameter?: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isMeridianError(error));
    assert.equal(error.code, code);
    if (parameter !== undefined) assert.equal(error.extra.parameter, parameter);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('job type declarations and parameter validation', () => {
  it('fills in defaults, so {} and the spelled-out defaults are the same job', () => {
    const a = catalog.validate('hello_world', {});
    assert.deepEqual(a.parameters, { n: 3, message: 'Hello', failure_rate: 0, duration_ms: 0 });
    const b = catalog.validate('hello_world', { duration_ms: 0, failure_rate: 0, message: 'Hello', n: 3 });
    assert.equal(a.jobId, b.jobId);
    assert.match(a.jobId, /^[0-9a-f]{64}$/);
  });

  it('derives the job id from the type and the parameters, whatever the key order', () => {
    assert.equal(jobIdFor('t', { a: 1, b: { c: 2, d: 3 } }), jobIdFor('t', { b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(jobIdFor('t', { a: 1 }), jobIdFor('u', { a: 1 }));
    assert.notEqual(catalog.validate('hello_world', { n: 4 }).jobId, catalog.validate('hello_world', { n: 5 }).jobId);
  });

  it('names the bad parameter', () => {
    rejects(() => catalog.validate('hello_world', { n: 0 }), 'JOB_PARAMETERS_INVALID', 'n', /parameter "n" must be >= 1/);
    rejects(() => catalog.validate('hello_world', { n: 1001 }), 'JOB_PARAMETERS_INVALID', 'n');
    rejects(() => catalog.validate('hello_world', { n: 2.5 }), 'JOB_PARAMETERS_INVALID', 'n');
    rejects(() => catalog.validate('hello_world', { failure_rate: 2 }), 'JOB_PARAMETERS_INVALID', 'failure_rate');
    rejects(() => catalog.validate('hello_world', { duration_ms: 60_001 }), 'JOB_PARAMETERS_INVALID', 'duration_ms');
    rejects(() => catalog.validate('hello_world', { message: 7 }), 'JOB_PARAMETERS_INVALID', 'message');
    rejects(() => catalog.validate('hello_world', { colour: 'red' }), 'JOB_PARAMETERS_INVALID', 'colour', /unknown parameter "colour"; accepted: n, message, failure_rate, duration_ms/);
    rejects(() => catalog.validate('hello_world', [1]), 'JOB_PARAMETERS_INVALID', '');
  });

  it('names a missing required parameter', () => {
    const strict = new JobCatalog([
      defineJobType({ name: 'needs_url', version: 1, description: 'x', parameters: Type.Object({ url: Type.String() }), stages: [{ name: 's', taskType: 'needs_url_task', fan: 'single' }] }),
    ]);
    rejects(() => strict.validate('needs_url', {}), 'JOB_PARAMETERS_INVALID', 'url', /parameter "url" is required/);
  });

  it('rejects an unknown job type with the known ones listed', () => {
    rejects(() => catalog.validate('nope', {}), 'JOB_TYPE_UNKNOWN', undefined, /known: hello_world, noop/);
  });

  it('checks declarations when they are defined', () => {
    const parameters = Type.Object({});
    assert.throws(() => defineJobType({ name: 'Bad-Name', version: 1, description: '', parameters, stages: [{ name: 's', taskType: 't', fan: 'single' }] }), /lower-case/);
    assert.throws(() => defineJobType({ name: 'x', version: 1, description: '', parameters, stages: [] }), /no stages/);
    assert.throws(() => defineJobType({ name: 'x', version: 1, description: '', parameters, stages: [{ name: 's', taskType: 't', fan: 'fan_in' }] }), /cannot fan in/);
    assert.throws(() => defineJobType({ name: 'x', version: 1, description: '', parameters, stages: [{ name: 's', taskType: 't', fan: 'fan_out' }] }), /initialItems/);
    assert.throws(() => new JobCatalog([...BUILTIN_JOB_TYPES, BUILTIN_JOB_TYPES[0]!]), /registered twice/);
  });
});

describe('handlers and routing', () => {
  const registry = new HandlerRegistry(BUILTIN_HANDLERS);

  it('selects task types by comma-separated globs', () => {
    assert.deepEqual(registry.select('*'), ['hello_world_greeting', 'hello_world_reply', 'noop']);
    assert.deepEqual(registry.select('hello_*'), ['hello_world_greeting', 'hello_world_reply']);
    assert.deepEqual(registry.select('noop, hello_world_re?ly'), ['hello_world_reply', 'noop']);
    assert.throws(() => registry.select('raster_*'), /matches no task type/);
  });

  it('treats "_" and "." in patterns literally', () => {
    assert.equal(globMatcher('a_b')('axb'), false);
    assert.equal(globMatcher('a.b')('axb'), false);
    assert.equal(globMatcher('a*')('a.b'), true);
  });
});

describe('retries', () => {
  it('backs off min(base · 2^n, 300 s)', () => {
    assert.deepEqual([0, 1, 2, 3, 6, 7, 10].map((n) => retryDelayMs(n, 5_000)), [5_000, 10_000, 20_000, 40_000, 300_000, 300_000, 300_000]);
    assert.deepEqual([0, 1, 2].map((n) => retryDelayMs(n, 40)), [40, 80, 160]);
  });

  it('retries transient errors and fails user-fixable ones at once', () => {
    assert.equal(classifyError(new Error('socket hang up')).permanent, false);
    assert.equal(classifyError(new Error('x')).error.code, 'TASK_FAILED');
    assert.equal(classifyError(new MeridianError('STORAGE_UNAVAILABLE')).permanent, false);
    const bad = classifyError(new MeridianError('FILE_NOT_FOUND', 'bronze/x.tif is missing'));
    assert.equal(bad.permanent, true);
    assert.deepEqual(bad.error, { code: 'FILE_NOT_FOUND', message: 'bronze/x.tif is missing', remedy: bad.error.remedy, user_fixable: true });
  });
});
