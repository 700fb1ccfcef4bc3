import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../runtime.ts';
import { platformContext } from '../../platform-context.ts';
import { approvalRoutes } from './approvals.ts';
import { platformRoutes } from './platform.ts';

/** The platform surface: the B2B API and the reviewers' approvals API, sharing one context. */
export const platformSurface: FastifyPluginAsyncTypebox<{ runtime: Runtime }> = async (app, { runtime }) => {
  const { context, webhooks, watch } = platformContext(runtime);
  watch.start();
  webhooks.start();
  // The watch stops and attempts in flight finish before the process closes its database; deliveries
  // still pending stay queued in app.webhook_outbox for the next process.
  app.addHook('onClose', async () => {
    await watch.stop();
    await webhooks.close();
  });
  await app.register(platformRoutes, { runtime, context, prefix: '/api/platform' });
  await app.register(approvalRoutes, { db: runtime.db });
};
