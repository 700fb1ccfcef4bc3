import { isAbsolute, resolve } from 'node:path';
import { MeridianError, redact, registerSecret } from '@meridian/core';

export type AuthMode = 'off' | 'oidc';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type StorageLocation =
  | { kind: 'file'; root: string }
  | { kind: 'azure'; serviceUrl: string; account: string; accountKey: string };

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  rolesClaim: string;
  /** Tolerance for exp/nbf/iat between this server's clock and the identity provider's. */
  clockSkewSeconds: number;
  /** The browser sign-in (authorization code flow with PKCE); null when only pasted tokens are used. */
  login: OidcLoginConfig | null;
}

/** What the web UI needs to send a person to the identity provider and exchange the code for a token. */
export interface OidcLoginConfig {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Space-separated, as OAuth sends them. */
  scopes: string;
}

/** Timing of the job engine (leases, heartbeats, polling, janitor, retries, stuck-job limits). */
export interface JobEngineConfig {
  /** How long a claimed task stays leased without a heartbeat before another worker may take it. */
  leaseMs: number;
  heartbeatMs: number;
  /** Idle workers look for work this often even without a notification (the only wake-up on PGlite). */
  pollMs: number;
  janitorIntervalMs: number;
  /** How long a stopping worker waits for running tasks to finish or checkpoint. */
  shutdownGraceMs: number;
  /** First retry delay; retry n waits min(base · 2^n, 300 s). */
  retryBaseMs: number;
  /** A job that no worker started within this time is failed by the janitor. */
  queuedTimeoutSeconds: number;
  /** A processing job with nothing left to run and no change for this long is failed by the janitor. */
  stallTimeoutSeconds: number;
}

/** Limits of the raster ETL (GeoTIFF → Cloud-Optimized GeoTIFF). */
export interface RasterConfig {
  /** Inputs larger than this are refused (INPUT_TOO_LARGE). */
  maxInputBytes: number;
  /** Rasters whose uncompressed pixels exceed this are converted tile by tile, then assembled. */
  tileThresholdBytes: number;
}

/** Limits of the vector ETL (process_vector). */
export interface VectorConfig {
  /** Inputs larger than this are refused (FILE_TOO_LARGE). */
  maxInputBytes: number;
  /** Rendered vector tiles kept in memory per API process; 0 renders every request. */
  tileCacheBytes: number;
}

/** Delivery of platform events to partners' webhooks. */
export interface WebhookConfig {
  /** Signs deliveries to a submission's callback_url; unset means those deliveries are unsigned. */
  secret: string | null;
  /** Retry n (n ≥ 1) waits base · 2^(n-1). */
  retryBaseMs: number;
  maxAttempts: number;
}

/** Everything Meridian reads from its environment, parsed once at start-up and frozen. */
export interface Config {
  home: string;
  /** Unset means the embedded PGlite database under `home`. */
  databaseUrl: string | null;
  databasePoolSize: number;
  storage: StorageLocation;
  host: string;
  port: number;
  publicUrl: string;
  auth: AuthMode;
  oidc: OidcConfig | null;
  workers: number;
  logLevel: LogLevel;
  corsOrigins: string[];
  maxUploadBytes: number;
  /** A chunked upload not completed within this time is abandoned: its parts are removed. */
  uploadSessionTtlSeconds: number;
  jobs: JobEngineConfig;
  raster: RasterConfig;
  vector: VectorConfig;
  webhooks: WebhookConfig;
}

/** The variables Meridian knows. Any other MERIDIAN_* variable is a typo and stops start-up. */
export const CONFIG_VARIABLES = [
  'MERIDIAN_HOME',
  'MERIDIAN_DATABASE_URL',
  'MERIDIAN_DATABASE_POOL_SIZE',
  'MERIDIAN_STORAGE_URL',
  'MERIDIAN_HOST',
  'MERIDIAN_PORT',
  'MERIDIAN_PUBLIC_URL',
  'MERIDIAN_AUTH',
  'MERIDIAN_OIDC_ISSUER',
  'MERIDIAN_OIDC_AUDIENCE',
  'MERIDIAN_OIDC_JWKS_URL',
  'MERIDIAN_OIDC_ROLES_CLAIM',
  'MERIDIAN_OIDC_CLOCK_SKEW_SECONDS',
  'MERIDIAN_OIDC_AUTHORIZE_URL',
  'MERIDIAN_OIDC_TOKEN_URL',
  'MERIDIAN_OIDC_CLIENT_ID',
  'MERIDIAN_OIDC_SCOPES',
  'MERIDIAN_WEBHOOK_SECRET',
  'MERIDIAN_WEBHOOK_RETRY_BASE_MS',
  'MERIDIAN_WEBHOOK_MAX_ATTEMPTS',
  'MERIDIAN_WORKERS',
  'MERIDIAN_LOG_LEVEL',
  'MERIDIAN_CORS_ORIGINS',
  'MERIDIAN_MAX_UPLOAD_BYTES',
  'MERIDIAN_UPLOAD_SESSION_TTL_SECONDS',
  'MERIDIAN_RASTER_MAX_INPUT_BYTES',
  'MERIDIAN_RASTER_TILE_THRESHOLD_BYTES',
  'MERIDIAN_VECTOR_MAX_INPUT_BYTES',
  'MERIDIAN_VECTOR_TILE_CACHE_MB',
  'MERIDIAN_TASK_LEASE_MS',
  'MERIDIAN_TASK_HEARTBEAT_MS',
  'MERIDIAN_TASK_RETRY_BASE_MS',
  'MERIDIAN_WORKER_POLL_MS',
  'MERIDIAN_WORKER_GRACE_MS',
  'MERIDIAN_JANITOR_INTERVAL_MS',
  'MERIDIAN_JOB_QUEUED_TIMEOUT_SECONDS',
  'MERIDIAN_JOB_STALL_TIMEOUT_SECONDS',
] as const;

type Env = Record<string, string | undefined>;

function invalid(variable: string, problem: string): MeridianError {
  return new MeridianError('CONFIG_INVALID', redact(`${variable}: ${problem}`), { variable });
}

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw invalid(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw invalid(name, `expected a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) throw invalid(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return value;
}

function url(name: string, raw: string, protocols: string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw invalid(name, `not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw invalid(name, `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${raw}"`);
  }
  return parsed;
}

function databaseUrl(env: Env): string | null {
  const raw = read(env, 'MERIDIAN_DATABASE_URL');
  if (raw === undefined) return null;
  const parsed = url('MERIDIAN_DATABASE_URL', raw, ['postgres:', 'postgresql:']);
  registerSecret(decodeURIComponent(parsed.password));
  return raw;
}

/**
 * Storage URL forms: `file:///absolute/path`, or the Azure Blob service URL with the account name and key
 * as user info: `azure://ACCOUNT:KEY@ACCOUNT.blob.core.windows.net` (https) or
 * `azure+http://ACCOUNT:KEY@127.0.0.1:10000/ACCOUNT` (an emulator such as Azurite, plain http).
 */
function storage(env: Env, home: string): StorageLocation {
  const raw = read(env, 'MERIDIAN_STORAGE_URL');
  if (raw === undefined) return { kind: 'file', root: resolve(home, 'storage') };
  const parsed = url('MERIDIAN_STORAGE_URL', raw, ['file:', 'azure:', 'azure+http:']);
  if (parsed.protocol === 'file:') {
    const root = decodeURIComponent(parsed.pathname);
    if (!isAbsolute(root) || parsed.host) throw invalid('MERIDIAN_STORAGE_URL', 'a file URL must be file:///absolute/path');
    return { kind: 'file', root };
  }
  const account = decodeURIComponent(parsed.username);
  const accountKey = decodeURIComponent(parsed.password);
  registerSecret(accountKey);
  if (!account || !accountKey) {
    throw invalid('MERIDIAN_STORAGE_URL', 'an azure URL needs the account name and key: azure://ACCOUNT:KEY@HOST');
  }
  const scheme = parsed.protocol === 'azure+http:' ? 'http' : 'https';
  const path = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/+$/, '');
  return { kind: 'azure', serviceUrl: `${scheme}://${parsed.host}${path}`, account, accountKey };
}

function oidc(env: Env, auth: AuthMode): OidcConfig | null {
  if (auth !== 'oidc') return null;
  const need = (name: string): string => {
    const value = read(env, name);
    if (value === undefined) throw invalid(name, 'required when MERIDIAN_AUTH=oidc');
    return value;
  };
  const jwksUrl = need('MERIDIAN_OIDC_JWKS_URL');
  url('MERIDIAN_OIDC_JWKS_URL', jwksUrl, ['http:', 'https:', 'file:']);
  return {
    issuer: need('MERIDIAN_OIDC_ISSUER'),
    audience: need('MERIDIAN_OIDC_AUDIENCE'),
    jwksUrl,
    rolesClaim: read(env, 'MERIDIAN_OIDC_ROLES_CLAIM') ?? 'roles',
    clockSkewSeconds: integer(env, 'MERIDIAN_OIDC_CLOCK_SKEW_SECONDS', 60, 0, 600),
    login: oidcLogin(env),
  };
}

/** The browser sign-in is offered when an authorize URL is set; it then needs the token URL and client id. */
function oidcLogin(env: Env): OidcLoginConfig | null {
  const authorizeUrl = read(env, 'MERIDIAN_OIDC_AUTHORIZE_URL');
  if (authorizeUrl === undefined) return null;
  url('MERIDIAN_OIDC_AUTHORIZE_URL', authorizeUrl, ['http:', 'https:']);
  const tokenUrl = read(env, 'MERIDIAN_OIDC_TOKEN_URL');
  if (tokenUrl === undefined) throw invalid('MERIDIAN_OIDC_TOKEN_URL', 'required with MERIDIAN_OIDC_AUTHORIZE_URL');
  url('MERIDIAN_OIDC_TOKEN_URL', tokenUrl, ['http:', 'https:']);
  const clientId = read(env, 'MERIDIAN_OIDC_CLIENT_ID');
  if (clientId === undefined) throw invalid('MERIDIAN_OIDC_CLIENT_ID', 'required with MERIDIAN_OIDC_AUTHORIZE_URL');
  const scopes = (read(env, 'MERIDIAN_OIDC_SCOPES') ?? 'openid').split(/[\s,]+/).filter(Boolean).join(' ');
  return { authorizeUrl, tokenUrl, clientId, scopes };
}

function corsOrigins(env: Env): string[] {
  const raw = read(env, 'MERIDIAN_CORS_ORIGINS');
  if (raw === undefined) return [];
  const origins = raw.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin !== '*') url('MERIDIAN_CORS_ORIGINS', origin, ['http:', 'https:']);
  }
  return origins;
}

/** The heartbeat defaults to a quarter of the lease, so three missed beats still keep it. */
function jobEngine(env: Env): JobEngineConfig {
  const leaseMs = integer(env, 'MERIDIAN_TASK_LEASE_MS', 60_000, 1_000, 86_400_000);
  const heartbeatMs = integer(env, 'MERIDIAN_TASK_HEARTBEAT_MS', Math.floor(leaseMs / 4), 50, 3_600_000);
  if (heartbeatMs * 2 > leaseMs) {
    throw invalid('MERIDIAN_TASK_HEARTBEAT_MS', `must be at most half of MERIDIAN_TASK_LEASE_MS (${leaseMs}), got ${heartbeatMs}`);
  }
  return {
    leaseMs,
    heartbeatMs,
    pollMs: integer(env, 'MERIDIAN_WORKER_POLL_MS', 1_000, 10, 600_000),
    janitorIntervalMs: integer(env, 'MERIDIAN_JANITOR_INTERVAL_MS', 30_000, 100, 86_400_000),
    shutdownGraceMs: integer(env, 'MERIDIAN_WORKER_GRACE_MS', 20_000, 0, 3_600_000),
    retryBaseMs: integer(env, 'MERIDIAN_TASK_RETRY_BASE_MS', 5_000, 1, 300_000),
    queuedTimeoutSeconds: integer(env, 'MERIDIAN_JOB_QUEUED_TIMEOUT_SECONDS', 86_400, 60, 31_536_000),
    stallTimeoutSeconds: integer(env, 'MERIDIAN_JOB_STALL_TIMEOUT_SECONDS', 3_600, 60, 31_536_000),
  };
}

function webhooks(env: Env): WebhookConfig {
  const secret = read(env, 'MERIDIAN_WEBHOOK_SECRET') ?? null;
  if (secret !== null) {
    if (secret.length < 16) throw invalid('MERIDIAN_WEBHOOK_SECRET', 'must be at least 16 characters');
    registerSecret(secret);
  }
  return {
    secret,
    retryBaseMs: integer(env, 'MERIDIAN_WEBHOOK_RETRY_BASE_MS', 2_000, 1, 3_600_000),
    maxAttempts: integer(env, 'MERIDIAN_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses the environment. Throws CONFIG_INVALID naming the variable at the first problem. */
export function loadConfig(env: Env, cwd: string): Config {
  const known = new Set<string>(CONFIG_VARIABLES);
  for (const name of Object.keys(env)) {
    if (name.startsWith('MERIDIAN_') && !known.has(name)) {
      throw invalid(name, `unknown variable; the known ones are ${CONFIG_VARIABLES.join(', ')}`);
    }
  }
  const home = resolve(cwd, read(env, 'MERIDIAN_HOME') ?? '.meridian');
  const host = read(env, 'MERIDIAN_HOST') ?? '127.0.0.1';
  const port = integer(env, 'MERIDIAN_PORT', 8080, 0, 65535);
  const publicUrlRaw = read(env, 'MERIDIAN_PUBLIC_URL');
  const publicUrl = publicUrlRaw
    ? url('MERIDIAN_PUBLIC_URL', publicUrlRaw, ['http:', 'https:']).toString().replace(/\/+$/, '')
    : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const auth = oneOf<AuthMode>(env, 'MERIDIAN_AUTH', ['off', 'oidc'], 'off');
  return deepFreeze<Config>({
    home,
    databaseUrl: databaseUrl(env),
    databasePoolSize: integer(env, 'MERIDIAN_DATABASE_POOL_SIZE', 10, 1, 1000),
    storage: storage(env, home),
    host,
    port,
    publicUrl,
    auth,
    oidc: oidc(env, auth),
    workers: integer(env, 'MERIDIAN_WORKERS', 2, 0, 64),
    logLevel: oneOf<LogLevel>(env, 'MERIDIAN_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    corsOrigins: corsOrigins(env),
    maxUploadBytes: integer(env, 'MERIDIAN_MAX_UPLOAD_BYTES', 10 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    uploadSessionTtlSeconds: integer(env, 'MERIDIAN_UPLOAD_SESSION_TTL_SECONDS', 86_400, 60, 2_592_000),
    jobs: jobEngine(env),
    raster: {
      maxInputBytes: integer(env, 'MERIDIAN_RASTER_MAX_INPUT_BYTES', 50 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
      tileThresholdBytes: integer(env, 'MERIDIAN_RASTER_TILE_THRESHOLD_BYTES', 2 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    },
    vector: {
      maxInputBytes: integer(env, 'MERIDIAN_VECTOR_MAX_INPUT_BYTES', 20 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
      tileCacheBytes: integer(env, 'MERIDIAN_VECTOR_TILE_CACHE_MB', 64, 0, 1024 ** 2) * 1024 ** 2,
    },
    webhooks: webhooks(env),
  });
}

/** The configuration as it may be logged or shown: secrets masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return JSON.parse(redact(JSON.stringify(config))) as Record<string, unknown>;
}

/** The configuration of this process: its environment, relative paths resolved from its working directory. */
export function loadProcessConfig(): Config {
  return loadConfig(process.env, process.cwd());
}
