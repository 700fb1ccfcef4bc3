/** Every key under a prefix, across all pages of the listing. */
import type { BlobStore } from '@meridian/storage';

export async function keysUnder(store: BlobStore, container: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | null = null;
  do {
    const page = await store.list(container, { prefix, ...(token ? { token } : {}) });
    keys.push(...page.items.map((b) => b.key));
    token = page.nextToken;
  } while (token);
  return keys;
}
