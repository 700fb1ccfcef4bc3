import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://login.example.test/tenant/v2.0';
export const AUDIENCE = 'api://meridian-test';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A locally generated signing key, as an identity provider would hold it. */
export async function signingKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A token signed by `key` with sensible defaults (valid for an hour); `claims` override them. */
export async function token(key: SigningKey, claims: JWTPayload = {}, header: { kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: header.kid ?? key.kid })
    .sign(key.privateKey);
}

export async function writeJwksFile(dir: string, keys: SigningKey[]): Promise<string> {
  const path = join(dir, 'jwks.json');
  await writeFile(path, JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  return pathToFileURL(path).href;
}

/** A tiny JWKS endpoint on 127.0.0.1 whose key list can be changed (rotation); counts its fetches. */
export async function jwksServer(keys: SigningKey[]): Promise<{ url: string; setKeys(next: SigningKey[]): void; fetches(): number; close(): Promise<void> }> {
  let current = keys;
  let count = 0;
  const server: Server = createServer((_request, response) => {
    count += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: current.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/keys`,
    setKeys: (next) => {
      current = next;
    },
    fetches: () => count,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export function oidcEnv(jwksUrl: string): Record<string, string> {
  return { MERIDIAN_AUTH: 'oidc', MERIDIAN_OIDC_ISSUER: ISSUER, MERIDIAN_OIDC_AUDIENCE: AUDIENCE, MERIDIAN_OIDC_JWKS_URL: jwksUrl, MERIDIAN_OIDC_CLOCK_SKEW_SECONDS: '30' };
}
