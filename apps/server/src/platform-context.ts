import { WebhookDispatcher, type PlatformContext } from '@meridian/platform';
import type { Runtime } from './runtime.ts';
import { jobService } from './job-engine.ts';
import { PlatformServing } from './platform-serving.ts';

/** The platform's long-lived parts for one process: its context and the webhook dispatcher it emits to. */
export function platformContext(runtime: Runtime): { context: PlatformContext; webhooks: WebhookDispatcher } {
  const webhooks = new WebhookDispatcher({
    db: runtime.db,
    callbackSecret: runtime.config.webhooks.secret,
    retryBaseMs: runtime.config.webhooks.retryBaseMs,
    maxAttempts: runtime.config.webhooks.maxAttempts,
    timeoutMs: 10_000,
    log: runtime.log,
  });
  const context: PlatformContext = {
    db: runtime.db,
    jobs: jobService(runtime),
    store: runtime.store,
    publicUrl: runtime.config.publicUrl,
    appVersion: runtime.version,
    serving: new PlatformServing(runtime.db),
    events: webhooks,
  };
  return { context, webhooks };
}
