-- The platform's state (B2B contract, /api/platform/*): assets (one per client × dataset × resource),
-- their numbered releases with lineage and review states, an append-only audit log of every release
-- transition, a record of every platform request, and webhook endpoints with every delivery attempt.

CREATE TABLE app.assets (
  asset_id    text PRIMARY KEY CHECK (asset_id ~ '^[0-9a-f]{32}$'),
  client_id   text NOT NULL,
  dataset_id  text NOT NULL CHECK (length(dataset_id) BETWEEN 1 AND 255),
  resource_id text NOT NULL CHECK (length(resource_id) BETWEEN 1 AND 255),
  data_type   text NOT NULL CHECK (data_type IN ('vector', 'raster', 'zarr')),
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (client_id, dataset_id, resource_id)
);

CREATE TABLE app.releases (
  release_id          text PRIMARY KEY CHECK (release_id ~ '^[0-9a-f]{32}$'),
  asset_id            text NOT NULL REFERENCES app.assets (asset_id),
  request_id          text NOT NULL CHECK (request_id ~ '^[0-9a-f]{32}$'),
  ordinal             integer NOT NULL CHECK (ordinal >= 1),
  revision            integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  -- The version as submitted (NULL when none was given); approval fills it (default v{ordinal}).
  version_id          text CHECK (version_id IS NULL OR length(version_id) BETWEEN 1 AND 50),
  previous_version_id text CHECK (previous_version_id IS NULL OR length(previous_version_id) BETWEEN 1 AND 50),
  -- Lineage: the job that produced the outputs, the Meridian version that ran it, the source it read.
  job_id              text,
  job_type            text NOT NULL,
  app_version         text NOT NULL,
  source_file_hash    text,
  -- {container_name, file_name[], source_url} as submitted.
  source              jsonb NOT NULL,
  -- The normalized submission (title, description, tags, processing_options, callback_url, client_id).
  submission          jsonb NOT NULL,
  -- {stac_item_id, stac_collection_id, blob_path, table_name, table_names, schema}: the derived names.
  outputs             jsonb NOT NULL,
  approval_state      text NOT NULL DEFAULT 'pending_review' CHECK (approval_state IN ('pending_review', 'approved', 'rejected', 'revoked')),
  clearance_state     text NOT NULL DEFAULT 'uncleared' CHECK (clearance_state IN ('uncleared', 'ouo', 'public')),
  processing_status   text NOT NULL DEFAULT 'pending' CHECK (processing_status IN ('pending', 'processing', 'completed', 'failed')),
  -- The access level requested at submission (public or ouo); approval decides clearance_state.
  requested_access    text NOT NULL CHECK (requested_access IN ('public', 'ouo')),
  reviewer            text CHECK (reviewer IS NULL OR length(reviewer) BETWEEN 1 AND 200),
  reviewed_at         timestamptz,
  rejection_reason    text,
  approval_notes      text,
  unpublish_job_id    text,
  unpublished_at      timestamptz,
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (asset_id, ordinal),
  CHECK (approval_state <> 'approved' OR clearance_state <> 'uncleared')
);
CREATE INDEX releases_request ON app.releases (request_id);
CREATE INDEX releases_job ON app.releases (job_id);
CREATE INDEX releases_state ON app.releases (approval_state, created_at DESC);
-- One approved release per (asset, version): the contract's VersionConflict, enforced here too.
CREATE UNIQUE INDEX releases_approved_version ON app.releases (asset_id, version_id) WHERE approval_state = 'approved';

CREATE FUNCTION app.releases_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$$;
CREATE TRIGGER releases_touch BEFORE UPDATE ON app.releases FOR EACH ROW EXECUTE FUNCTION app.releases_touch();

-- Append-only: every release transition (submit, overwrite, approve, reject, revoke, unpublish) with
-- who did it, why, and the release as it was afterwards.
CREATE TABLE app.release_audit (
  audit_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  release_id  text NOT NULL REFERENCES app.releases (release_id),
  asset_id    text NOT NULL REFERENCES app.assets (asset_id),
  action      text NOT NULL CHECK (action IN ('submitted', 'overwritten', 'approved', 'rejected', 'revoked', 'unpublished')),
  from_state  text,
  to_state    text NOT NULL,
  actor       text NOT NULL,
  reason      text,
  snapshot    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX release_audit_release ON app.release_audit (release_id, audit_id);
CREATE INDEX release_audit_created ON app.release_audit (created_at DESC);

CREATE FUNCTION app.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'app.% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER release_audit_append_only BEFORE UPDATE OR DELETE ON app.release_audit
  FOR EACH ROW EXECUTE FUNCTION app.append_only();
CREATE TRIGGER release_audit_no_truncate BEFORE TRUNCATE ON app.release_audit
  FOR EACH STATEMENT EXECUTE FUNCTION app.append_only();

-- Every /api/platform/* request: who called (token subject and client), what, and the outcome.
CREATE TABLE app.api_requests (
  api_request_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  http_request_id text NOT NULL,
  method          text NOT NULL,
  endpoint        text NOT NULL,
  caller_subject  text,
  caller_client   text,
  caller_roles    text[] NOT NULL DEFAULT '{}',
  status          integer NOT NULL,
  -- SHA-256 of the canonical JSON body, so a repeated submission can be recognised without storing it.
  body_sha256     text,
  platform_request_id text,
  duration_ms     double precision NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX api_requests_created ON app.api_requests (created_at DESC);
CREATE INDEX api_requests_client ON app.api_requests (caller_client, created_at DESC);

CREATE TABLE app.webhook_endpoints (
  endpoint_id text PRIMARY KEY CHECK (endpoint_id ~ '^[0-9a-f]{32}$'),
  url         text NOT NULL CHECK (url ~ '^https?://'),
  -- The HMAC-SHA256 key the receiver checks the X-Meridian-Signature header with.
  secret      text NOT NULL,
  -- Event types delivered; empty means all.
  events      text[] NOT NULL DEFAULT '{}',
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- One row per delivery attempt: the event, where it went, and what came back.
CREATE TABLE app.webhook_deliveries (
  delivery_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        text NOT NULL,
  event_type      text NOT NULL,
  endpoint_id     text REFERENCES app.webhook_endpoints (endpoint_id) ON DELETE SET NULL,
  url             text NOT NULL,
  attempt         integer NOT NULL CHECK (attempt >= 1),
  outcome         text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  response_status integer,
  error           text,
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX webhook_deliveries_event ON app.webhook_deliveries (event_id, attempt);
CREATE INDEX webhook_deliveries_created ON app.webhook_deliveries (created_at DESC);

-- The external zone's database half: public copies of approved public vector tables (export_public).
CREATE SCHEMA IF NOT EXISTS external;

-- Every copy into the external zone and every removal from it, append-only like the release audit.
CREATE TABLE app.public_exports (
  export_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  release_id  text NOT NULL REFERENCES app.releases (release_id),
  job_id      text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('table', 'blob')),
  source      text NOT NULL,
  target      text NOT NULL,
  action      text NOT NULL CHECK (action IN ('copied', 'removed')),
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX public_exports_release ON app.public_exports (release_id, export_id);
CREATE TRIGGER public_exports_append_only BEFORE UPDATE OR DELETE ON app.public_exports
  FOR EACH ROW EXECUTE FUNCTION app.append_only();
