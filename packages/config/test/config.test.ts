import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, describeConfig } from '../src/index.ts';
import { isMeridianError, redact } from '@meridian/core';

function rejects(env: Record<string, string>, variable: string, pattern?: RegExp) {
  assert.throws(() => loadConfig(env, '/srv'), (error: unknown) => {
    assert.ok(isMeridianError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.extra.variable, variable);
    assert.match(error.message, new RegExp(`^${variable}`));
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

describe('configuration', () => {
  it('has working defaults: embedded database and local storage under .meridian', () => {
    const config = loadConfig({}, '/srv/app');
    assert.equal(config.home, '/srv/app/.meridian');
    assert.equal(config.databaseUrl, null);
    assert.deepEqual(config.storage, { kind: 'file', root: '/srv/app/.meridian/storage' });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'http://127.0.0.1:8080');
    assert.equal(config.auth, 'off');
    assert.equal(config.logLevel, 'info');
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ MERIDIAN_CORS_ORIGINS: 'http://a.example' }, '/srv');
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.storage));
    assert.ok(Object.isFrozen(config.corsOrigins));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    });
  });

  it('parses every variable', () => {
    const config = loadConfig(
      {
        MERIDIAN_HOME: '/data/m',
        MERIDIAN_DATABASE_URL: 'postgres://u:p%40ss@db:5432/meridian',
        MERIDIAN_STORAGE_URL: 'azure+http://devstoreaccount1:a2V5a2V5@127.0.0.1:10000/devstoreaccount1',
        MERIDIAN_HOST: '0.0.0.0',
        MERIDIAN_PORT: '9000',
        MERIDIAN_PUBLIC_URL: 'https://geo.example.org/',
        MERIDIAN_AUTH: 'oidc',
        MERIDIAN_OIDC_ISSUER: 'https://login.example.org',
        MERIDIAN_OIDC_AUDIENCE: 'api://meridian',
        MERIDIAN_OIDC_JWKS_URL: 'file:///etc/meridian/jwks.json',
        MERIDIAN_WORKERS: '4',
        MERIDIAN_LOG_LEVEL: 'DEBUG',
      },
      '/srv',
    );
    assert.equal(config.home, '/data/m');
    assert.equal(config.port, 9000);
    assert.equal(config.publicUrl, 'https://geo.example.org');
    assert.deepEqual(config.storage, { kind: 'azure', serviceUrl: 'http://127.0.0.1:10000/devstoreaccount1', account: 'devstoreaccount1', accountKey: 'a2V5a2V5' });
    assert.equal(config.oidc?.rolesClaim, 'roles');
    assert.equal(config.workers, 4);
    assert.equal(config.logLevel, 'debug');
  });

  it('fails fast on malformed values, naming the variable', () => {
    rejects({ MERIDIAN_PORT: '80a' }, 'MERIDIAN_PORT', /whole number/);
    rejects({ MERIDIAN_PORT: '70000' }, 'MERIDIAN_PORT');
    rejects({ MERIDIAN_WORKERS: '-1' }, 'MERIDIAN_WORKERS');
    rejects({ MERIDIAN_AUTH: 'maybe' }, 'MERIDIAN_AUTH', /off, oidc/);
    rejects({ MERIDIAN_LOG_LEVEL: 'loud' }, 'MERIDIAN_LOG_LEVEL');
    rejects({ MERIDIAN_DATABASE_URL: 'mysql://x@y/z' }, 'MERIDIAN_DATABASE_URL', /postgres/);
    rejects({ MERIDIAN_DATABASE_URL: 'not a url' }, 'MERIDIAN_DATABASE_URL');
    rejects({ MERIDIAN_STORAGE_URL: 's3://bucket' }, 'MERIDIAN_STORAGE_URL');
    rejects({ MERIDIAN_STORAGE_URL: 'file://relative/path' }, 'MERIDIAN_STORAGE_URL');
    rejects({ MERIDIAN_STORAGE_URL: 'azure://host.example' }, 'MERIDIAN_STORAGE_URL', /account name and key/);
    rejects({ MERIDIAN_PUBLIC_URL: 'ftp://x' }, 'MERIDIAN_PUBLIC_URL');
    rejects({ MERIDIAN_CORS_ORIGINS: 'nonsense' }, 'MERIDIAN_CORS_ORIGINS');
    rejects({ MERIDIAN_AUTH: 'oidc' }, 'MERIDIAN_OIDC_JWKS_URL', /required/);
  });

  it('rejects unknown MERIDIAN_* variables (typos) and ignores everything else', () => {
    rejects({ MERIDIAN_PROT: '80' }, 'MERIDIAN_PROT', /unknown variable/);
    assert.doesNotThrow(() => loadConfig({ PATH: '/bin', HOME: '/root' }, '/srv'));
  });

  it('never shows secrets: URL passwords and account keys are redacted', () => {
    const config = loadConfig(
      {
        MERIDIAN_DATABASE_URL: 'postgres://meridian:hunter2secret@db/meridian',
        MERIDIAN_STORAGE_URL: 'azure://acct:c3VwZXJzZWNyZXRrZXk%3D@acct.blob.core.windows.net',
      },
      '/srv',
    );
    const shown = JSON.stringify(describeConfig(config));
    assert.doesNotMatch(shown, /hunter2secret/);
    assert.doesNotMatch(shown, /c3VwZXJzZWNyZXRrZXk/);
    assert.doesNotMatch(redact(`connecting with key ${config.storage.kind === 'azure' ? config.storage.accountKey : ''}`), /c3VwZXJzZWNyZXRrZXk/);
    assert.throws(() => loadConfig({ MERIDIAN_DATABASE_URL: 'postgres://u:topsecretpw@' }, '/srv'), (error: Error) => !error.message.includes('topsecretpw'));
  });
});
