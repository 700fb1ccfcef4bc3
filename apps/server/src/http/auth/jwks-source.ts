import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, errors, type JSONWebKeySet } from 'jose';

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The identity provider's signing keys, read from an http(s) or file JWKS URL, cached, and read again
 * when a token names a key id the cache does not know (key rotation) — at most once per `cooldownMs`,
 * so tokens with made-up key ids cannot make the server hammer the provider.
 */
export class JwksSource {
  private keys: LocalKeySet | null = null;
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly cooldownMs = 30_000,
  ) {}

  /** The key resolver jose's `jwtVerify` calls with the token's protected header. */
  readonly resolve = async (...[header, token]: Parameters<LocalKeySet>): ReturnType<LocalKeySet> => {
    if (!this.keys) await this.reload();
    try {
      return await this.current()(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - this.loadedAt < this.cooldownMs) throw error;
      await this.reload();
      return this.current()(header, token);
    }
  };

  private current(): LocalKeySet {
    if (!this.keys) throw new errors.JWKSNoMatchingKey();
    return this.keys;
  }

  private reload(): Promise<void> {
    this.loading ??= this.fetchKeys().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async fetchKeys(): Promise<void> {
    const text = this.url.startsWith('file:')
      ? await readFile(fileURLToPath(this.url), 'utf8')
      : await fetchText(this.url);
    this.keys = createLocalJWKSet(JSON.parse(text) as JSONWebKeySet);
    this.loadedAt = Date.now();
  }
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`JWKS ${url} answered ${response.status}`);
  return response.text();
}
