-- Durable webhook deliveries. Emitting an event writes one row per receiver (the submission's
-- callback_url, every registered endpoint that wants the event); the platform's delivery loop claims
-- the rows that are due, posts them, logs every attempt in app.webhook_deliveries and reschedules a
-- failure with backoff. The queue is this table, so retries still pending when a process stops are
-- picked up by the next one.
CREATE TABLE app.webhook_outbox (
  outbox_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        text NOT NULL,
  event_type      text NOT NULL,
  -- NULL for the submission's callback_url (signed with MERIDIAN_WEBHOOK_SECRET). Deactivating an
  -- endpoint stops new events; what was queued for it while it was active is still delivered.
  endpoint_id     text REFERENCES app.webhook_endpoints (endpoint_id) ON DELETE CASCADE,
  url             text NOT NULL CHECK (url ~ '^https?://'),
  -- The exact body that is signed and sent on every attempt (text: jsonb would reorder its keys).
  payload         text NOT NULL,
  -- Attempts made so far; status pending until one succeeds or MERIDIAN_WEBHOOK_MAX_ATTEMPTS failed.
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  -- When the next attempt is due; a claim pushes it past the attempt's timeout, so a process that dies
  -- mid-attempt leaves the row to be claimed again.
  next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (event_id, url)
);
CREATE INDEX webhook_outbox_due ON app.webhook_outbox (next_attempt_at) WHERE status = 'pending';
