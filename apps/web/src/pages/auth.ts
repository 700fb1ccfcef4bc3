import { html, nothing, render } from 'lit-html';
import { api, getToken, setToken } from '../api.ts';
import type { PageContext } from '../router.ts';
import { errorBox } from '../view.ts';

interface Caller {
  auth: string;
  subject: string | null;
  roles: string[];
  anonymous: boolean;
}

export function authPage({ outlet, signal }: PageContext): void {
  let caller: Caller | null = null;
  let error: unknown = null;

  const whoAmI = async () => {
    error = null;
    try {
      caller = await api<Caller>('/api/auth/me', { signal });
    } catch (e) {
      if (signal.aborted) return;
      caller = null;
      error = e;
    }
    draw();
  };

  const save = (token: string | null) => {
    setToken(token);
    void whoAmI();
  };

  const identity = (c: Caller) => c.auth === 'off'
    ? html`This server runs with <strong>MERIDIAN_AUTH=off</strong>: every caller is an administrator and no token is needed.`
    : c.anonymous
      ? html`This server checks bearer tokens (<strong>MERIDIAN_AUTH=${c.auth}</strong>). You are <strong>anonymous</strong>: sign in with your identity provider and paste the access token.`
      : html`Signed in as <strong>${c.subject}</strong> with roles <strong>${c.roles.join(', ') || 'none'}</strong>.`;

  const draw = () =>
    render(html`<h1>Sign in</h1>
      <p role="status">${caller ? identity(caller) : nothing}</p>
      ${error ? errorBox(error, 'Identity') : nothing}
      <form @submit=${(e: Event) => {
        e.preventDefault();
        save(String(new FormData(e.target as HTMLFormElement).get('token') ?? '').trim() || null);
      }}>
        <div class="field"><label for="token">Bearer token</label>
          <textarea id="token" name="token" rows="4" autocomplete="off" spellcheck="false" .value=${getToken() ?? ''}></textarea>
          <small class="muted">Kept in this tab only (sessionStorage) and sent as the Authorization header.</small></div>
        <div class="actions"><button type="submit" class="primary">Save token</button>
          <button type="button" @click=${() => save(null)}>Sign out</button></div>
      </form>`, outlet);
  draw();
  void whoAmI();
}
