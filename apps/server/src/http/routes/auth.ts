import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuthMode } from '@meridian/config';
import { ROLES } from '../auth/caller.ts';

const CallerSchema = Type.Object({
  auth: Type.String({ description: '"off" means every caller is treated as an administrator' }),
  subject: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String({ enum: [...ROLES] })),
  client_id: Type.Union([Type.String(), Type.Null()]),
  anonymous: Type.Boolean(),
});

/** Who the server thinks the caller is — for the UI's banner and for checking a token. */
export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthMode }> = async (app, { auth }) => {
  app.get('/api/auth/me', {
    schema: { tags: ['auth'], summary: 'The calling identity and its roles', response: { 200: CallerSchema } },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { caller } = request;
    return { auth, subject: caller.subject, roles: caller.roles, client_id: caller.clientId, anonymous: caller.anonymous };
  });
};
