import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuthMode, OidcLoginConfig } from '@meridian/config';
import { ROLES } from '../auth/caller.ts';

const CallerSchema = Type.Object({
  auth: Type.String({ description: '"off" means every caller is treated as an administrator' }),
  subject: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String({ enum: [...ROLES] })),
  client_id: Type.Union([Type.String(), Type.Null()]),
  anonymous: Type.Boolean(),
});

const LoginSchema = Type.Object({
  auth: Type.String(),
  login: Type.Union([
    Type.Object({
      authorize_url: Type.String(),
      token_url: Type.String(),
      client_id: Type.String(),
      scopes: Type.String({ description: 'Space-separated' }),
    }),
    Type.Null(),
  ], { description: 'The authorization code flow with PKCE the web UI runs; null when only pasted tokens work' }),
});

export interface AuthRoutesOptions {
  auth: AuthMode;
  login: OidcLoginConfig | null;
}

/**
 * Who the server thinks the caller is — for the UI's banner and for checking a token — and the public
 * settings the UI needs to sign a person in at the identity provider (nothing secret: a public client).
 */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { auth, login }) => {
  app.get('/api/auth/config', {
    schema: { tags: ['auth'], summary: 'How the web UI signs in (public; no token needed)', response: { 200: LoginSchema } },
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return {
      auth,
      login: login ? { authorize_url: login.authorizeUrl, token_url: login.tokenUrl, client_id: login.clientId, scopes: login.scopes } : null,
    };
  });

  app.get('/api/auth/me', {
    schema: { tags: ['auth'], summary: 'The calling identity and its roles', response: { 200: CallerSchema } },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { caller } = request;
    return { auth, subject: caller.subject, roles: caller.roles, client_id: caller.clientId, anonymous: caller.anonymous };
  });
};
