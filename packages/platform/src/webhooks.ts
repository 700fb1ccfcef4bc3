import { createHmac, randomUUID } from 'node:crypto';
import type { Db } from '@meridian/db';
import type { EventSink } from './context.ts';
import type { ReleaseRow } from './release-store.ts';
import { releaseView } from './status.ts';
import type { PlatformEventType } from './webhook-events.ts';
import { claimDueDeliveries, endpointsFor, enqueueDeliveries, recordAttempt, type AttemptOutcome, type ClaimedDelivery, type OutboxEntry } from './webhook-store.ts';

export const SIGNATURE_HEADER = 'x-meridian-signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as GitHub-style receivers expect. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookOptions {
  db: Db;
  /** Signs deliveries to a submission's callback_url (registered endpoints have their own secrets). */
  callbackSecret: string | null;
  /** Attempt n + 1 comes due base · 2^(n-1) ms after attempt n failed. */
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** How often the delivery loop looks for due deliveries (retries, and events other processes emitted). */
  pollMs: number;
  log: { warn(obj: object, msg: string): void };
}

/** Deliveries one pass of the loop claims at most (each pass runs them concurrently). */
const BATCH = 20;

/**
 * Delivers platform events to the submission's callback_url and every registered endpoint that wants
 * them: signed JSON, retried with exponential backoff until a 2xx or `maxAttempts`, every attempt
 * logged in app.webhook_deliveries.
 *
 * Design: `emit` only queues the deliveries in app.webhook_outbox; a loop (`start`) claims the due ones,
 * posts them and reschedules failures. The table is the queue, so nothing lives only in memory: a
 * retry pending when the process stops is made by the next process that runs the loop. The loop runs
 * wherever the platform API runs — where events are emitted (its routes and the processing watch) —
 * and several processes may run it at once: a claim moves the row's next attempt past the attempt's
 * timeout under SKIP LOCKED, so each attempt is made by one process, and a process dying mid-attempt
 * only delays that attempt. Receivers may see an event twice in that case (at least once, by event_id).
 */
export class WebhookDispatcher implements EventSink {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<number> | null = null;
  private passAgain = false;

  constructor(private readonly options: WebhookOptions) {}

  async emit(type: PlatformEventType, release: ReleaseRow, data: Record<string, unknown>): Promise<void> {
    const callback = typeof release.submission.callbackUrl === 'string' ? release.submission.callbackUrl : null;
    const endpoints = await endpointsFor(this.options.db, type);
    const eventId = randomUUID();
    const payload = JSON.stringify({
      event_id: eventId,
      event_type: type,
      occurred_at: new Date().toISOString(),
      request_id: release.request_id,
      asset_id: release.asset_id,
      release: releaseView(release),
      data,
    });
    const entries: OutboxEntry[] = [
      ...(callback ? [{ endpoint_id: null, url: callback }] : []),
      ...endpoints,
    ].map((target) => ({ event_id: eventId, event_type: type, endpoint_id: target.endpoint_id, url: target.url, payload }));
    await enqueueDeliveries(this.options.db, entries);
    if (entries.length) this.wake();
  }

  /** Starts the delivery loop: a pass now, then every pollMs. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.wake();
  }

  /** Stops the loop and waits for the attempts in flight; pending deliveries stay queued. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.passAgain = false;
    await this.pass;
  }

  /** One pass over the due deliveries (the loop's unit; tests call it directly). Returns how many it made. */
  async deliverDue(): Promise<number> {
    const { db, timeoutMs } = this.options;
    const due = await claimDueDeliveries(db, BATCH, timeoutMs * 2);
    await Promise.all(due.map((delivery) => this.deliver(delivery)));
    return due.length;
  }

  /** Runs a pass unless one is running (then one more follows it); only while the loop is started. */
  private wake(): void {
    if (!this.timer) return;
    if (this.pass) {
      this.passAgain = true;
      return;
    }
    this.pass = this.deliverDue()
      .catch((error: unknown) => {
        this.options.log.warn({ err: error }, 'webhook delivery pass failed');
        return 0;
      })
      .finally(() => {
        this.pass = null;
        if (this.passAgain) {
          this.passAgain = false;
          this.wake();
        }
      });
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { maxAttempts, retryBaseMs } = this.options;
    const outcome = await this.attempt(delivery);
    const attempt = delivery.attempts + 1;
    await recordAttempt(this.options.db, delivery, outcome, { finalAttempt: attempt >= maxAttempts, retryInMs: retryBaseMs * 2 ** (attempt - 1) });
  }

  private async attempt(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const body = delivery.payload;
    const secret = delivery.endpoint_id === null ? this.options.callbackSecret : delivery.endpoint_secret;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Meridian-Webhooks/1' };
    if (secret) headers[SIGNATURE_HEADER] = signature(secret, body);
    try {
      const response = await fetch(delivery.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return { ok: response.ok, status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, error: (error as Error).message.slice(0, 500) };
    }
  }
}
