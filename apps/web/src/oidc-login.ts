/**
 * Sign-in at the identity provider with the OAuth 2.0 authorization code flow and PKCE (RFC 7636), the
 * flow for a browser app that holds no secret: the UI sends the person to the provider with a hashed
 * one-time verifier, the provider sends them back to /auth/callback with a code, and the UI trades the
 * code and the verifier for an access token at the token endpoint. The token then goes where a pasted
 * one goes (sessionStorage), so the rest of the UI does not care how it was obtained.
 */
import { api } from './api.ts';

export interface LoginSettings {
  authorize_url: string;
  token_url: string;
  client_id: string;
  scopes: string;
}

export interface AuthSettings {
  auth: string;
  login: LoginSettings | null;
}

/** The verifier and state of the sign-in under way; only this tab, only until the callback. */
const PENDING_KEY = 'meridian.oidc.pending';
export const CALLBACK_PATH = '/auth/callback';

interface Pending {
  state: string;
  verifier: string;
}

export function authSettings(signal?: AbortSignal): Promise<AuthSettings> {
  return api<AuthSettings>('/api/auth/config', signal ? { signal } : {});
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function randomText(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function redirectUri(): string {
  return `${location.origin}${CALLBACK_PATH}`;
}

/** Leaves for the provider's authorize endpoint; it comes back to CALLBACK_PATH. */
export async function beginLogin(login: LoginSettings): Promise<void> {
  const pending: Pending = { state: randomText(16), verifier: randomText(32) };
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(login.authorize_url);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: login.client_id,
    redirect_uri: redirectUri(),
    scope: login.scopes,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On CALLBACK_PATH: checks the state, trades the code for an access token and returns it. */
export async function finishLogin(login: LoginSettings, search: URLSearchParams): Promise<string> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const refused = search.get('error');
  if (refused) throw new Error(`The identity provider refused the sign-in: ${search.get('error_description') ?? refused}`);
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  const code = search.get('code');
  // A callback this tab did not start (or a replayed one) must not sign anybody in.
  if (!pending || pending.state !== search.get('state') || !code) throw new Error('This sign-in was not started here or has already been used; start it again.');
  const response = await fetch(login.token_url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), client_id: login.client_id, code_verifier: pending.verifier }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: string; error_description?: string };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(`The identity provider did not issue a token: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}`);
  }
  return body.access_token;
}
