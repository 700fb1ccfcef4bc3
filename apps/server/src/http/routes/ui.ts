/**
 * The web UI (apps/web, built by Vite into apps/web/dist) served at `/`. Hashed assets are cached for a
 * year; index.html is revalidated on every load so a new build is picked up at once. Any GET whose
 * first path segment is not `api` is a page of the single-page app and gets index.html, so deep links
 * and reloads work while unknown /api paths keep their JSON (or OGC) not-found answers.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeridianError } from '@meridian/core';

export const WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

/** A first path segment other than `api` (find-my-way matches the regular expression per segment). */
const PAGE_SEGMENT = ':page(^(?!api$)[^/]+$)';

export const uiRoutes: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? WEB_DIST;
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      maxAge: '365d',
      immutable: true,
      index: false,
    });
  } else {
    app.log.warn({ root }, 'the web UI is not built: run `npm run build --workspace @meridian/web`');
  }

  const page = async (_request: unknown, reply: FastifyReply) => {
    if (!built) throw new MeridianError('NOT_FOUND', 'the web UI is not built; run `npm run build --workspace @meridian/web`');
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', root, { cacheControl: false });
  };
  const route = { schema: { hide: true } };
  app.get('/', route, page);
  app.get(`/${PAGE_SEGMENT}`, route, page);
  app.get(`/${PAGE_SEGMENT}/*`, route, page);
};
