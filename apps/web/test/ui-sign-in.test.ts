import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, openPage, screenshot, startBrowser, startServer, type Browsing, type Server } from './browser.ts';
import { SUBJECT, startOidcProvider, type OidcProvider } from './oidc-provider.ts';

const TIMEOUT = 20_000;

describe('signing in to the web UI with an OIDC provider (authorization code + PKCE)', { timeout: 180_000 }, () => {
  let provider: OidcProvider;
  let server: Server;
  let browsing: Browsing;

  before(async () => {
    ensureBuilt();
    provider = await startOidcProvider();
    server = await startServer(async () => undefined, [], provider.env);
    browsing = await startBrowser(server.url);
  });
  after(async () => {
    await browsing?.close();
    await server?.stop();
    await provider?.close();
  });

  it('signs in at the provider, comes back signed in, and the server accepts the token', async () => {
    const { page, errors } = await openPage(browsing.context, '/auth');
    try {
      await page.getByText('You are anonymous', { exact: false }).or(page.getByText('anonymous')).first().waitFor({ timeout: TIMEOUT });
      await page.getByLabel('Bearer token').waitFor();
      await screenshot(page, 'sign-in-anonymous');
      await page.getByRole('button', { name: 'Sign in with your identity provider' }).click();
      await page.waitForURL((url) => url.pathname === '/auth', { timeout: TIMEOUT });
      await page.getByText(`Signed in as ${SUBJECT} with roles admin`).waitFor({ timeout: TIMEOUT });
      await screenshot(page, 'sign-in-done');
      assert.equal(provider.exchanged(), 1, 'the code was exchanged with a verifier matching its challenge');
      assert.equal(new URL(page.url()).search, '', 'the code does not stay in the address bar');

      const stored = await page.evaluate(() => sessionStorage.getItem('meridian.token'));
      assert.ok(stored, 'the token is kept in this tab');
      const me = await (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${stored}` } })).json();
      assert.deepEqual([me.subject, me.roles, me.anonymous], [SUBJECT, ['admin'], false]);
      assert.equal((await fetch(`${server.url}/api/storage`)).status, 200, 'listing containers is open');
      assert.equal((await fetch(`${server.url}/api/jobs`)).status, 401, 'the jobs API needs a token');

      // The UI now sends the token: the jobs page (reviewer and up) loads without an error.
      await page.getByRole('link', { name: 'Jobs', exact: true }).click();
      await page.getByRole('heading', { name: 'Jobs' }).waitFor({ timeout: TIMEOUT });
      await page.getByText('No jobs', { exact: false }).first().waitFor({ timeout: TIMEOUT });
      assert.equal(await page.locator('.error').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('refuses a callback it did not start, and keeps the pasted-token option', async () => {
    const { page } = await openPage(browsing.context, '/auth/callback?code=stolen&state=forged');
    try {
      await page.getByText('This sign-in was not started here or has already been used', { exact: false }).waitFor({ timeout: TIMEOUT });
      assert.equal(await page.evaluate(() => sessionStorage.getItem('meridian.token')), null);
      assert.equal(provider.exchanged(), 1, 'no code exchange was attempted');
      await page.getByRole('link', { name: 'Back to sign in' }).click();
      await page.getByLabel('Bearer token').fill('not-a-jwt');
      await page.getByRole('button', { name: 'Save token' }).click();
      await page.getByText('the bearer token was rejected', { exact: false }).waitFor({ timeout: TIMEOUT });
      await screenshot(page, 'sign-in-bad-token');
    } finally {
      await page.close();
    }
  });
});
