import { ProcessingWatch, WebhookDispatcher, type PlatformContext } from '@meridian/platform';
import type { Runtime } from './runtime.ts';
import { jobService } from './job-engine.ts';
import { PlatformServing } from './platform-serving.ts';

/** How often releases are brought in step with their jobs (so job webhooks go out unprompted). */
const WATCH_INTERVAL_MS = 2_000;

/**
 * The platform's long-lived parts for one process: its context, the webhook dispatcher it emits to and
 * the watch that settles releases when their jobs end.
 */
export function platformContext(runtime: Runtime): { context: PlatformContext; webhooks: WebhookDispatcher; watch: ProcessingWatch } {
  const webhooks = new WebhookDispatcher({
    db: runtime.db,
    callbackSecret: runtime.config.webhooks.secret,
    retryBaseMs: runtime.config.webhooks.retryBaseMs,
    maxAttempts: runtime.config.webhooks.maxAttempts,
    timeoutMs: 10_000,
    pollMs: runtime.config.jobs.pollMs,
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
  const watch = new ProcessingWatch(context, WATCH_INTERVAL_MS, (error) => runtime.log.error({ err: error }, 'platform processing watch failed'));
  return { context, webhooks, watch };
}
