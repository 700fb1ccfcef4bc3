import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '@meridian/db';

/**
 * SQL for webhooks: registered endpoints, the outbox of deliveries still to make (app.webhook_outbox,
 * one row per event × receiver) and the log of every attempt (app.webhook_deliveries).
 */
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

/** The active endpoints that want this event type (an empty list means every event). */
export async function endpointsFor(db: Queryable, eventType: string): Promise<{ endpoint_id: string; url: string }[]> {
  const { rows } = await db.query<{ endpoint_id: string; url: string }>(
    'SELECT endpoint_id, url FROM app.webhook_endpoints WHERE active AND (cardinality(events) = 0 OR $1 = ANY (events)) ORDER BY created_at',
    [eventType],
  );
  return rows;
}

export interface OutboxEntry {
  event_id: string;
  event_type: string;
  endpoint_id: string | null;
  url: string;
  payload: string;
}

/** Queues one delivery per receiver, due now. Emitting the same event twice queues nothing new. */
export async function enqueueDeliveries(db: Db, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction(async (tx) => {
    for (const e of entries) {
      await tx.query(
        `INSERT INTO app.webhook_outbox (event_id, event_type, endpoint_id, url, payload) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (event_id, url) DO NOTHING`,
        [e.event_id, e.event_type, e.endpoint_id, e.url, e.payload],
      );
    }
  });
}

/** A due delivery, claimed: with the attempts made before this one and the endpoint's current secret. */
export interface ClaimedDelivery extends OutboxEntry {
  outbox_id: string;
  attempts: number;
  endpoint_secret: string | null;
}

/**
 * Claims up to `limit` due deliveries by moving their next attempt `leaseMs` ahead: no other process
 * takes them meanwhile (SKIP LOCKED), and if this one dies mid-attempt they come due again.
 */
export async function claimDueDeliveries(db: Db, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery>(
    `UPDATE app.webhook_outbox o SET next_attempt_at = clock_timestamp() + $2 * interval '1 millisecond', updated_at = clock_timestamp()
     WHERE o.outbox_id IN (
       SELECT outbox_id FROM app.webhook_outbox WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING o.outbox_id::text AS outbox_id, o.event_id, o.event_type, o.endpoint_id, o.url, o.payload, o.attempts,
       (SELECT secret FROM app.webhook_endpoints e WHERE e.endpoint_id = o.endpoint_id) AS endpoint_secret`,
    [limit, leaseMs],
  );
  return rows;
}

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * Logs one attempt and settles the delivery in one transaction: succeeded, failed for good after the
 * last attempt, or pending again `retryInMs` from now.
 */
export async function recordAttempt(db: Db, delivery: ClaimedDelivery, outcome: AttemptOutcome, next: { finalAttempt: boolean; retryInMs: number }): Promise<void> {
  const attempt = delivery.attempts + 1;
  const status = outcome.ok ? 'succeeded' : next.finalAttempt ? 'failed' : 'pending';
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO app.webhook_deliveries (event_id, event_type, endpoint_id, url, attempt, outcome, response_status, error, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [delivery.event_id, delivery.event_type, delivery.endpoint_id, delivery.url, attempt, outcome.ok ? 'succeeded' : 'failed', outcome.status, outcome.error, delivery.payload],
    );
    await tx.query(
      `UPDATE app.webhook_outbox SET attempts = $2, status = $3, last_error = $4, updated_at = clock_timestamp(),
         next_attempt_at = clock_timestamp() + $5 * interval '1 millisecond'
       WHERE outbox_id = $1`,
      [delivery.outbox_id, attempt, status, outcome.error, next.retryInMs],
    );
  });
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
