/**
 * Secret redaction for log lines and error messages. Passwords in URLs are always masked; any other
 * secret value (an account key, a client secret) is registered once at start-up and masked wherever
 * it appears.
 */
const registeredSecrets = new Set<string>();
const MASK = '***';

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) registeredSecrets.add(secret);
}

const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@)/gi;

export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, `$1${MASK}$3`);
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** Redacts every string inside a JSON-like value (used by the log serializer). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) {
    // Logged errors keep their shape (the log serializers read `message`), with every text redacted.
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: redact(value.message), ...(code !== undefined ? { code } : {}), ...(value.stack ? { stack: redact(value.stack) } : {}) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, depth + 1);
  return out;
}
