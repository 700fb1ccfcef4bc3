import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@meridian/config';
import { isMeridianError } from '@meridian/core';

describe('job engine configuration', () => {
  it('has production defaults: 60 s lease, heartbeat a quarter of it, 5 s retry base', () => {
    assert.deepEqual(loadConfig({}, '/tmp').jobs, {
      leaseMs: 60_000,
      heartbeatMs: 15_000,
      pollMs: 1_000,
      janitorIntervalMs: 30_000,
      shutdownGraceMs: 20_000,
      retryBaseMs: 5_000,
      queuedTimeoutSeconds: 86_400,
      stallTimeoutSeconds: 3_600,
    });
  });

  it('reads the MERIDIAN_* job variables, deriving the heartbeat from the lease', () => {
    const jobs = loadConfig({ MERIDIAN_TASK_LEASE_MS: '2000', MERIDIAN_TASK_RETRY_BASE_MS: '40', MERIDIAN_WORKER_GRACE_MS: '0', MERIDIAN_JOB_STALL_TIMEOUT_SECONDS: '600' }, '/tmp').jobs;
    assert.equal(jobs.leaseMs, 2_000);
    assert.equal(jobs.heartbeatMs, 500);
    assert.equal(jobs.retryBaseMs, 40);
    assert.equal(jobs.shutdownGraceMs, 0);
    assert.equal(jobs.stallTimeoutSeconds, 600);
  });

  it('refuses a heartbeat that could let a lease lapse, naming the variable', () => {
    assert.throws(() => loadConfig({ MERIDIAN_TASK_LEASE_MS: '2000', MERIDIAN_TASK_HEARTBEAT_MS: '1500' }, '/tmp'), (error: unknown) => {
      assert.ok(isMeridianError(error));
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.equal(error.extra.variable, 'MERIDIAN_TASK_HEARTBEAT_MS');
      return true;
    });
    assert.throws(() => loadConfig({ MERIDIAN_TASK_LEASE_MS: '500' }, '/tmp'), /MERIDIAN_TASK_LEASE_MS/);
  });
});
