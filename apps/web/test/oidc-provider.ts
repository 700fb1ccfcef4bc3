/**
 * A tiny OpenID provider for the sign-in test: an authorize endpoint that signs the person in at once
 * and redirects back with a code, a token endpoint that checks the PKCE verifier against the challenge
 * (as a real provider does) and issues a token signed with the test keys, and the JWKS Meridian verifies
 * it with. The token endpoint answers CORS, since a browser app calls it directly.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AUDIENCE, ISSUER, signingKey, token } from '../../server/test/auth-keys.ts';

export const CLIENT_ID = 'meridian-ui-test';
export const SUBJECT = 'ui-signed-in-user';

interface Grant {
  challenge: string;
  redirectUri: string;
}

export interface OidcProvider {
  /** The environment that makes `meridian serve` trust this provider and offer its sign-in. */
  env: Record<string, string>;
  /** Codes exchanged with a verifier matching their challenge. */
  exchanged(): number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  response.end(JSON.stringify(body));
}

export async function startOidcProvider(): Promise<OidcProvider> {
  const key = await signingKey('ui-idp');
  const grants = new Map<string, Grant>();
  let exchanged = 0;

  const authorize = (url: URL, response: ServerResponse) => {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri') ?? '';
    const challenge = p.get('code_challenge');
    if (p.get('client_id') !== CLIENT_ID || p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || !challenge || !redirectUri) {
      return json(response, 400, { error: 'invalid_request' });
    }
    const code = randomUUID();
    grants.set(code, { challenge, redirectUri });
    const back = new URL(redirectUri);
    back.search = new URLSearchParams({ code, state: p.get('state') ?? '' }).toString();
    response.writeHead(302, { location: back.toString() });
    response.end();
  };

  const exchange = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request));
    const grant = grants.get(form.get('code') ?? '');
    grants.delete(form.get('code') ?? '');
    const verified = grant && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === grant.challenge;
    if (form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== CLIENT_ID || !grant || grant.redirectUri !== form.get('redirect_uri') || !verified) {
      return json(response, 400, { error: 'invalid_grant', error_description: 'the code, redirect URI or PKCE verifier does not match' });
    }
    exchanged++;
    json(response, 200, { access_token: await token(key, { sub: SUBJECT, roles: ['admin'], azp: CLIENT_ID }), token_type: 'Bearer', expires_in: 3600 });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, accept' });
      return response.end();
    }
    if (url.pathname === '/authorize') return authorize(url, response);
    if (url.pathname === '/token' && request.method === 'POST') return void exchange(request, response).catch(() => json(response, 500, { error: 'server_error' }));
    if (url.pathname === '/keys') return json(response, 200, { keys: [key.publicJwk] });
    json(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    env: {
      MERIDIAN_AUTH: 'oidc',
      MERIDIAN_OIDC_ISSUER: ISSUER,
      MERIDIAN_OIDC_AUDIENCE: AUDIENCE,
      MERIDIAN_OIDC_JWKS_URL: `${base}/keys`,
      MERIDIAN_OIDC_AUTHORIZE_URL: `${base}/authorize`,
      MERIDIAN_OIDC_TOKEN_URL: `${base}/token`,
      MERIDIAN_OIDC_CLIENT_ID: CLIENT_ID,
      MERIDIAN_OIDC_SCOPES: `openid ${AUDIENCE}/.default`,
    },
    exchanged: () => exchanged,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}
