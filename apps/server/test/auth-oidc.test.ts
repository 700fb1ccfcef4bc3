import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@meridian/config';
import { isMeridianError } from '@meridian/core';
import { TokenVerifier } from '../src/http/auth/token-verifier.ts';
import { jwksServer, oidcEnv, signingKey, token, writeJwksFile } from './auth-keys.ts';
import { createTestApp } from './support.ts';

function verifierFor(jwksUrl: string, cooldownMs = 0): TokenVerifier {
  const config = loadConfig(oidcEnv(jwksUrl), process.cwd());
  if (!config.oidc) throw new Error('oidc not configured');
  return new TokenVerifier(config.oidc, { jwksCooldownMs: cooldownMs });
}

async function rejected(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMeridianError(error), String(error));
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, pattern);
    return true;
  });
}

test('tokens from a JWKS file: valid, expired, not yet valid, forged, wrong audience and issuer, no roles', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-jwks-'));
  try {
    const rsa = await signingKey('rsa-1', 'RS256');
    const ec = await signingKey('ec-1', 'ES256');
    const verifier = verifierFor(await writeJwksFile(dir, [rsa, ec]));
    const now = Math.floor(Date.now() / 1000);

    const caller = await verifier.verify(await token(rsa, { roles: ['reviewer', 'bogus'], azp: 'ddh-client' }), 'curl/8');
    assert.deepEqual(caller, { subject: 'user-1', roles: ['reviewer'], clientId: 'ddh-client', anonymous: false });
    const viaEc = await verifier.verify(await token(ec, { roles: 'reader', appid: 'app-guid' }), null);
    assert.deepEqual([viaEc.roles, viaEc.clientId], [['reader'], 'app-guid']);
    const noRoles = await verifier.verify(await token(rsa), 'ua/1');
    assert.deepEqual([noRoles.roles, noRoles.clientId], [[], 'ua/1']);
    // Inside the 30 s clock skew, an expired token still passes; beyond it, not.
    await verifier.verify(await token(rsa, { exp: now - 10 }), null);

    await rejected(verifier.verify(await token(rsa, { exp: now - 120 }), null), /expired/);
    await rejected(verifier.verify(await token(rsa, { nbf: now + 300 }), null), /nbf/);
    await rejected(verifier.verify(await token(rsa, { aud: 'api://someone-else' }), null), /aud/);
    await rejected(verifier.verify(await token(rsa, { iss: 'https://evil.example' }), null), /iss/);
    const other = await signingKey('rsa-1', 'RS256');
    await rejected(verifier.verify(await token(other), null), /signature/);
    const unknown = await signingKey('nobody', 'RS256');
    await rejected(verifier.verify(await token(unknown), null), /key/);
    await rejected(verifier.verify('not.a.token', null), /malformed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unknown kid reloads the JWKS over http (rotation), at most once per cooldown', async () => {
  const first = await signingKey('k1');
  const second = await signingKey('k2');
  const server = await jwksServer([first]);
  try {
    const verifier = verifierFor(server.url);
    await verifier.verify(await token(first), null);
    await verifier.verify(await token(first), null);
    assert.equal(server.fetches(), 1, 'the key set is cached');
    server.setKeys([first, second]);
    await verifier.verify(await token(second), null);
    assert.equal(server.fetches(), 2, 'an unknown kid fetched the keys again');

    const slow = verifierFor(server.url, 60_000);
    await slow.verify(await token(first), null);
    const third = await signingKey('k3');
    server.setKeys([first, second, third]);
    await rejected(slow.verify(await token(third), null), /key/);
    assert.equal(server.fetches(), 3, 'within the cooldown an unknown kid does not refetch');
  } finally {
    await server.close();
  }
});

test('the app: anonymous, bad token 401, missing role 403, roles pass; auth off is admin', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-jwks-'));
  const key = await signingKey('app-key');
  const t = await createTestApp({ env: oidcEnv(await writeJwksFile(dir, [key])) });
  try {
    const me = async (authorization?: string) =>
      t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { 'user-agent': 'tester/1', ...(authorization ? { authorization } : {}) } });
    assert.deepEqual((await me()).json(), { auth: 'oidc', subject: null, roles: [], client_id: 'tester/1', anonymous: true });
    const bad = await me('Bearer garbage');
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().code, 'UNAUTHORIZED');
    assert.equal((await me('Basic abc')).statusCode, 401);
    const reader = `Bearer ${await token(key, { roles: ['reader'] })}`;
    assert.deepEqual((await me(reader)).json().roles, ['reader']);

    const write = (authorization?: string) =>
      t.app.inject({ method: 'POST', url: '/api/jobs/submit/hello_world', headers: authorization ? { authorization } : {}, payload: {} });
    assert.equal((await write()).statusCode, 401);
    const forbidden = await write(reader);
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json().code, 'FORBIDDEN');
    const admin = await write(`Bearer ${await token(key, { roles: ['admin'] })}`);
    assert.notEqual(admin.statusCode, 401);
    assert.notEqual(admin.statusCode, 403);
    const jobs = async (authorization?: string) => (await t.app.inject({ method: 'GET', url: '/api/jobs', headers: authorization ? { authorization } : {} })).statusCode;
    assert.deepEqual([await jobs(), await jobs(reader), await jobs(`Bearer ${await token(key, { roles: ['reviewer'] })}`)], [401, 403, 200]);

    // Blob downloads outside the external zone are for reviewers; everyone else finds nothing there.
    await t.runtime.store.put({ container: 'bronze-uploads', key: 'a.txt' }, 'secret upload');
    await t.runtime.store.put({ container: 'external-public', key: 'b.txt' }, 'public copy');
    const blob = async (path: string, authorization?: string) => (await t.app.inject({ method: 'GET', url: `/api/storage/${path}`, headers: authorization ? { authorization } : {} })).statusCode;
    const reviewer = `Bearer ${await token(key, { roles: ['reviewer'] })}`;
    assert.deepEqual([await blob('bronze-uploads/a.txt'), await blob('bronze-uploads/a.txt', reader), await blob('bronze-uploads/a.txt', reviewer)], [404, 404, 200]);
    assert.deepEqual([await blob('bronze-uploads'), await blob('external-public/b.txt'), await blob('external-public/b.txt', reader)], [404, 200, 200]);
  } finally {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
  const off = await createTestApp();
  try {
    const body = (await off.app.inject({ method: 'GET', url: '/api/auth/me' })).json();
    assert.deepEqual([body.auth, body.roles, body.anonymous], ['off', ['admin'], false]);
  } finally {
    await off.close();
  }
});

test('the UI sign-in settings: public config endpoint, validated settings; chunked uploads are for admins', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-jwks-'));
  const key = await signingKey('login-key');
  const login = {
    MERIDIAN_OIDC_AUTHORIZE_URL: 'https://login.example.test/authorize',
    MERIDIAN_OIDC_TOKEN_URL: 'https://login.example.test/token',
    MERIDIAN_OIDC_CLIENT_ID: 'meridian-ui',
    MERIDIAN_OIDC_SCOPES: 'openid, api://meridian-test/.default',
  };
  const jwks = await writeJwksFile(dir, [key]);
  const t = await createTestApp({ env: { ...oidcEnv(jwks), ...login } });
  try {
    const config = await t.app.inject('/api/auth/config');
    assert.equal(config.statusCode, 200, 'anonymous callers may read it');
    assert.deepEqual(config.json(), {
      auth: 'oidc',
      login: { authorize_url: login.MERIDIAN_OIDC_AUTHORIZE_URL, token_url: login.MERIDIAN_OIDC_TOKEN_URL, client_id: 'meridian-ui', scopes: 'openid api://meridian-test/.default' },
    });
    const start = (authorization?: string) => t.app.inject({
      method: 'POST', url: '/api/storage/uploads', payload: { container: 'bronze-x', key: 'a.bin', size: 10 }, headers: authorization ? { authorization } : {},
    });
    assert.equal((await start()).statusCode, 401);
    assert.equal((await start(`Bearer ${await token(key, { roles: ['reviewer'] })}`)).statusCode, 403);
    assert.equal((await start(`Bearer ${await token(key, { roles: ['admin'] })}`)).statusCode, 201);
  } finally {
    await t.close();
  }
  try {
    assert.equal(loadConfig(oidcEnv(jwks), process.cwd()).oidc?.login, null, 'no authorize URL: pasted tokens only');
    for (const missing of ['MERIDIAN_OIDC_TOKEN_URL', 'MERIDIAN_OIDC_CLIENT_ID']) {
      const env: Record<string, string> = { ...oidcEnv(jwks), ...login };
      delete env[missing];
      assert.throws(() => loadConfig(env, process.cwd()), (error: unknown) => isMeridianError(error) && error.code === 'CONFIG_INVALID' && error.message.includes(missing));
    }
    assert.throws(() => loadConfig({ ...oidcEnv(jwks), ...login, MERIDIAN_OIDC_AUTHORIZE_URL: 'ftp://x' }, process.cwd()), /MERIDIAN_OIDC_AUTHORIZE_URL/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const off = await createTestApp();
  try {
    assert.deepEqual((await off.app.inject('/api/auth/config')).json(), { auth: 'off', login: null });
  } finally {
    await off.close();
  }
});
