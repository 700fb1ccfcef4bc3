import { html, nothing, render } from 'lit-html';
import { api, getToken, setToken } from '../api.ts';
import { navigate, type PageContext } from '../router.ts';
import { authSettings, beginLogin, finishLogin, type LoginSettings } from '../oidc-login.ts';
import { errorBox, loading } from '../view.ts';

interface Caller {
  auth: string;
  subject: string | null;
  roles: string[];
  anonymous: boolean;
}

export function authPage({ outlet, signal }: PageContext): void {
  let caller: Caller | null = null;
  let login: LoginSettings | null = null;
  let error: unknown = null;
  let leaving = false;

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

  const signIn = async (settings: LoginSettings) => {
    leaving = true;
    draw();
    try {
      await beginLogin(settings);
    } catch (e) {
      leaving = false;
      error = e;
      draw();
    }
  };

  const identity = (c: Caller) => c.auth === 'off'
    ? html`This server runs with <strong>MERIDIAN_AUTH=off</strong>: every caller is an administrator and no token is needed.`
    : c.anonymous
      ? html`This server checks bearer tokens (<strong>MERIDIAN_AUTH=${c.auth}</strong>). You are <strong>anonymous</strong>: ${login ? 'sign in with your identity provider, or' : 'sign in with your identity provider and'} paste an access token.`
      : html`Signed in as <strong>${c.subject}</strong> with roles <strong>${c.roles.join(', ') || 'none'}</strong>.`;

  const draw = () =>
    render(html`<h1>Sign in</h1>
      <p role="status">${caller ? identity(caller) : nothing}</p>
      ${error ? errorBox(error, 'Identity') : nothing}
      ${login && caller?.auth !== 'off' ? html`<section aria-labelledby="idp-h"><h2 id="idp-h">With your identity provider</h2>
        <p><button type="button" class="primary" ?disabled=${leaving} @click=${() => void signIn(login!)}>Sign in with your identity provider</button></p>
        <p class="muted small">You are sent to ${new URL(login.authorize_url).host} and come back here signed in (authorization code flow with PKCE).</p></section>` : nothing}
      <section aria-labelledby="paste-h"><h2 id="paste-h">With a pasted token</h2>
      <form @submit=${(e: Event) => {
        e.preventDefault();
        save(String(new FormData(e.target as HTMLFormElement).get('token') ?? '').trim() || null);
      }}>
        <div class="field"><label for="token">Bearer token</label>
          <textarea id="token" name="token" rows="4" autocomplete="off" spellcheck="false" .value=${getToken() ?? ''}></textarea>
          <small class="muted">Kept in this tab only (sessionStorage) and sent as the Authorization header.</small></div>
        <div class="actions"><button type="submit" class="primary">Save token</button>
          <button type="button" @click=${() => save(null)}>Sign out</button></div>
      </form></section>`, outlet);
  draw();
  void whoAmI();
  authSettings(signal).then(
    (s) => { login = s.login; draw(); },
    (e) => { if (!signal.aborted) { error = e; draw(); } },
  );
}

/** Where the identity provider sends the person back: trade the code for a token, then show who they are. */
export function authCallbackPage({ outlet, search, signal }: PageContext): void {
  const show = (body: unknown) => render(html`<h1>Signing in</h1>${body}`, outlet);
  show(loading('your sign-in'));
  authSettings(signal)
    .then((settings) => {
      if (!settings.login) throw new Error('This server does not offer sign-in with an identity provider.');
      return finishLogin(settings.login, search);
    })
    .then((token) => {
      setToken(token);
      navigate('/auth', true);
    })
    .catch((e: unknown) => {
      if (!signal.aborted) show(html`${errorBox(e, 'Sign-in')}<p><a href="/auth">Back to sign in</a></p>`);
    });
}
