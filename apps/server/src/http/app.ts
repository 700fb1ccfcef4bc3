import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../runtime.ts';
import { allowsWrites, exposes, type ExposureMode } from '../modes.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { installAuth } from './auth/auth-hook.ts';
import { surfaceGuard } from './auth/surface-guards.ts';
import { healthRoutes, type HealthContributor } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { storageRoutes } from './routes/storage.ts';
import { featuresRoutes } from './routes/features.ts';
import { jobRoutes } from './routes/jobs.ts';
import { uiRoutes } from './routes/ui.ts';
import { rasterRoutes } from './routes/raster.ts';
import { stacRoutes } from './routes/stac.ts';
import { catalogVersionRoutes } from './routes/catalog-versions.ts';
import { callerVisibility } from './visibility.ts';
import { platformSurface } from './routes/platform-surface.ts';
import { jobService } from '../job-engine.ts';

export interface AppOptions {
  runtime: Runtime;
  mode: ExposureMode;
  /** Extra sections of /api/health (workers and queue, from the job engine). */
  healthContributors?: Record<string, HealthContributor>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Builds the HTTP application: one plugin per surface, registered only when the mode exposes it. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { runtime, mode } = options;
  const app = Fastify({
    loggerInstance: runtime.log as FastifyBaseLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  installAuth(app, runtime.config);
  app.addHook('preHandler', surfaceGuard);

  if (runtime.config.corsOrigins.length) {
    await app.register(cors, {
      origin: runtime.config.corsOrigins.includes('*') ? true : runtime.config.corsOrigins,
      exposedHeaders: ['x-request-id', 'etag', 'content-range', 'retry-after'],
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Meridian API',
        version: runtime.version,
        description: 'Geospatial data as APIs: OGC API Features, vector tiles, STAC, raster tiles, jobs and the B2B platform API.',
      },
      servers: [{ url: runtime.config.publicUrl }],
    },
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (exposes(mode, 'docs')) {
    await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { url: '/api/openapi.json' } });
  }

  await app.register(healthRoutes, { runtime, mode, contributors: options.healthContributors ?? {} });
  await app.register(authRoutes, { auth: runtime.config.auth, login: runtime.config.oidc?.login ?? null });
  if (exposes(mode, 'storage')) {
    await app.register(storageRoutes, {
      runtime,
      writable: allowsWrites(mode),
      readableContainer: mode === 'public' ? (container: string) => container.startsWith('external-') : () => true,
    });
  }
  if (exposes(mode, 'jobs')) {
    await app.register(jobRoutes, { service: jobService(runtime), writable: allowsWrites(mode) });
  }
  if (exposes(mode, 'features')) await app.register(featuresRoutes, { runtime, prefix: '/api/features' });
  if (exposes(mode, 'platform')) await app.register(platformSurface, { runtime });
  if (exposes(mode, 'stac')) await app.register(stacRoutes, { runtime, writable: allowsWrites(mode), visibility: callerVisibility, prefix: '/api/stac' });
  if (exposes(mode, 'stac')) await app.register(catalogVersionRoutes, { runtime, publicOnly: mode === 'public' });
  if (exposes(mode, 'raster')) await app.register(rasterRoutes, { runtime, writable: allowsWrites(mode), visibility: callerVisibility, prefix: '/api/raster' });
  if (exposes(mode, 'ui')) await app.register(uiRoutes);
  return app;
}
