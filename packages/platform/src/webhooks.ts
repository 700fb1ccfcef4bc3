import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@meridian/db';
import type { EventSink } from './context.ts';
import type { ReleaseRow } from './release-store.ts';
import { releaseView } from './status.ts';
import type { PlatformEventType } from './webhook-events.ts';

export const SIGNATURE_HEADER = 'x-meridian-signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as GitHub-style receivers expect. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookOptions {
  db: Db;
  /** Signs deliveries to a submission's callback_url (registered endpoints have their own secrets). */
  callbackSecret: string | null;
  /** Attempts after the first wait base · 2^(n-1) ms. */
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  log: { warn(obj: object, msg: string): void };
}

interface Target {
  url: string;
  endpointId: string | null;
  secret: string | null;
}

interface EndpointRow {
  endpoint_id: string;
  url: string;
  secret: string;
  events: string[];
}

/**
 * Delivers platform events to the submission's callback_url and every registered endpoint that wants
 * them: signed JSON, retried with exponential backoff until a 2xx or `maxAttempts`, every attempt
 * written to app.webhook_deliveries. Deliveries run in the background of the process that emitted the
 * event; `idle()` resolves when none is in flight (shutdown, tests).
 */
export class WebhookDispatcher implements EventSink {
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: WebhookOptions) {}

  async emit(type: PlatformEventType, release: ReleaseRow, data: Record<string, unknown>): Promise<void> {
    const callback = typeof release.submission.callbackUrl === 'string' ? release.submission.callbackUrl : null;
    const { rows } = await this.options.db.query<EndpointRow>(
      `SELECT endpoint_id, url, secret, events FROM app.webhook_endpoints WHERE active AND (cardinality(events) = 0 OR $1 = ANY (events))`,
      [type],
    );
    const targets: Target[] = [
      ...(callback ? [{ url: callback, endpointId: null, secret: this.options.callbackSecret }] : []),
      ...rows.map((r) => ({ url: r.url, endpointId: r.endpoint_id, secret: r.secret })),
    ];
    const payload = {
      event_id: randomUUID(),
      event_type: type,
      occurred_at: new Date().toISOString(),
      request_id: release.request_id,
      asset_id: release.asset_id,
      release: releaseView(release),
      data,
    };
    for (const target of targets) this.track(this.deliver(target, payload));
  }

  /** Resolves when every delivery started so far has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Stops retrying (pending retries give up at their next turn) and waits for running attempts. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery.catch((error: unknown) => this.options.log.warn({ err: error }, 'webhook delivery could not be recorded'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async deliver(target: Target, payload: { event_id: string; event_type: string }): Promise<void> {
    const body = JSON.stringify(payload);
    for (let attempt = 1; attempt <= this.options.maxAttempts && !this.closed; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, this.options.retryBaseMs * 2 ** (attempt - 2)));
      const outcome = await this.attempt(target, body);
      await this.options.db.query(
        `INSERT INTO app.webhook_deliveries (event_id, event_type, endpoint_id, url, attempt, outcome, response_status, error, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [payload.event_id, payload.event_type, target.endpointId, target.url, attempt, outcome.ok ? 'succeeded' : 'failed', outcome.status, outcome.error, body],
      );
      if (outcome.ok) return;
    }
  }

  private async attempt(target: Target, body: string): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Meridian-Webhooks/1' };
    if (target.secret) headers[SIGNATURE_HEADER] = signature(target.secret, body);
    try {
      const response = await fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return { ok: response.ok, status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, error: (error as Error).message.slice(0, 500) };
    }
  }
}

export interface WebhookEndpoint {
  endpoint_id: string;
  url: string;
  events: string[];
  active: boolean;
  created_at: Date;
}

export async function registerEndpoint(db: Db, input: { url: string; events: string[]; secret: string | null }): Promise<WebhookEndpoint & { secret: string }> {
  const secret = input.secret ?? randomBytes(24).toString('hex');
  const { rows } = await db.query<WebhookEndpoint & { secret: string }>(
    `INSERT INTO app.webhook_endpoints (endpoint_id, url, secret, events) VALUES ($1, $2, $3, $4)
     RETURNING endpoint_id, url, secret, events, active, created_at`,
    [randomBytes(16).toString('hex'), input.url, secret, input.events],
  );
  return rows[0]!;
}

export async function listEndpoints(db: Db): Promise<WebhookEndpoint[]> {
  const { rows } = await db.query<WebhookEndpoint>('SELECT endpoint_id, url, events, active, created_at FROM app.webhook_endpoints ORDER BY created_at');
  return rows;
}

export async function deleteEndpoint(db: Db, endpointId: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE app.webhook_endpoints SET active = false WHERE endpoint_id = $1 AND active', [endpointId]);
  return rowCount > 0;
}

export interface DeliveryRow {
  delivery_id: number;
  event_id: string;
  event_type: string;
  endpoint_id: string | null;
  url: string;
  attempt: number;
  outcome: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  created_at: Date;
}

export async function listDeliveries(db: Db, filter: { eventId: string | null; limit: number }): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT delivery_id, event_id, event_type, endpoint_id, url, attempt, outcome, response_status, error, created_at
       FROM app.webhook_deliveries WHERE ($1::text IS NULL OR event_id = $1) ORDER BY delivery_id DESC LIMIT $2`,
    [filter.eventId, filter.limit],
  );
  return rows;
}
