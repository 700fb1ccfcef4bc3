-- The job engine. A job is a row; its stages run one after another; each stage's tasks are rows of
-- app.tasks, which is also the queue: workers claim ready tasks with FOR UPDATE SKIP LOCKED and hold a
-- lease they renew with a heartbeat. Every status change is checked against the allowed transitions and
-- written to app.job_events by the triggers below, so no code path can skip either.

CREATE TABLE app.jobs (
  job_id           text PRIMARY KEY CHECK (job_id ~ '^[0-9a-f]{64}$'),
  job_type         text NOT NULL,
  job_type_version integer NOT NULL,
  parameters       jsonb NOT NULL,
  -- The stage plan the job was submitted with ([{name, task_type, fan, allow_failures}]), so a running
  -- job keeps its shape even if the job type's declaration changes under it.
  stages           jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'completed_with_errors', 'cancelled')),
  stage            integer NOT NULL CHECK (stage >= 1),
  stage_count      integer NOT NULL CHECK (stage_count >= 1),
  -- Tasks of the current stage not yet finished: the completion that brings it to 0 advances the job.
  stage_remaining  integer NOT NULL CHECK (stage_remaining >= 0),
  failed_tasks     integer NOT NULL DEFAULT 0,
  max_retries      integer NOT NULL CHECK (max_retries >= 0),
  result           jsonb,
  error            jsonb,
  app_version      text NOT NULL,
  submissions      integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX jobs_status_created ON app.jobs (status, created_at DESC);
CREATE INDEX jobs_type_created ON app.jobs (job_type, created_at DESC);
CREATE INDEX jobs_created ON app.jobs (created_at DESC, job_id);

CREATE TABLE app.tasks (
  task_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id       text NOT NULL REFERENCES app.jobs (job_id) ON DELETE CASCADE,
  stage        integer NOT NULL,
  task_index   integer NOT NULL,
  task_type    text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'ready', 'processing', 'completed', 'failed', 'pending_retry', 'cancelled')),
  input        jsonb NOT NULL DEFAULT '{}',
  result       jsonb,
  error        jsonb,
  -- attempt counts claims; a completion or failure must name the attempt it belongs to, so a worker
  -- whose lease was taken away can never overwrite the work of the one that took it over.
  attempt      integer NOT NULL DEFAULT 0,
  retry_count  integer NOT NULL DEFAULT 0,
  reclaims     integer NOT NULL DEFAULT 0,
  max_retries  integer NOT NULL,
  run_after    timestamptz NOT NULL DEFAULT clock_timestamp(),
  claimed_by   text,
  lease_until  timestamptz,
  heartbeat_at timestamptz,
  checkpoint   jsonb,
  progress     jsonb,
  app_version  text,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at   timestamptz,
  finished_at  timestamptz,
  UNIQUE (job_id, stage, task_index)
);
CREATE INDEX tasks_claimable ON app.tasks (task_type, run_after, task_id) WHERE status IN ('ready', 'pending_retry');
CREATE INDEX tasks_leased ON app.tasks (lease_until) WHERE status = 'processing';

-- The execution timeline. No foreign key: recording an event must never be the reason a job fails.
CREATE TABLE app.job_events (
  event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id      text NOT NULL,
  task_id     bigint,
  stage       integer,
  event_type  text NOT NULL,
  status      text,
  duration_ms integer,
  worker_id   text,
  actor       text,
  data        jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX job_events_job ON app.job_events (job_id, event_id);

-- Worker processes announce themselves here with every heartbeat (for /api/health).
CREATE TABLE app.workers (
  worker_id      text PRIMARY KEY,
  hostname       text NOT NULL,
  pid            integer NOT NULL,
  task_types     text[] NOT NULL,
  concurrency    integer NOT NULL,
  busy           integer NOT NULL DEFAULT 0,
  app_version    text NOT NULL,
  started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  last_heartbeat timestamptz NOT NULL DEFAULT clock_timestamp(),
  stopped_at     timestamptz
);

-- What each janitor sweep that changed something did.
CREATE TABLE app.janitor_runs (
  run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  worker_id       text NOT NULL,
  reclaimed       integer NOT NULL,
  failed_tasks    integer NOT NULL,
  failed_jobs     integer NOT NULL,
  workers_removed integer NOT NULL,
  details         jsonb NOT NULL,
  ran_at          timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Appends one event. The exception block runs the insert in a subtransaction: if it fails, a warning is
-- raised and the state change that triggered it goes on.
CREATE FUNCTION app.record_job_event(p_job_id text, p_task_id bigint, p_stage integer, p_event_type text, p_status text,
                                     p_duration_ms integer, p_worker_id text, p_data jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO app.job_events (job_id, task_id, stage, event_type, status, duration_ms, worker_id, actor, data)
  VALUES (p_job_id, p_task_id, p_stage, p_event_type, p_status, p_duration_ms, p_worker_id,
          NULLIF(current_setting('meridian.actor', true), ''), COALESCE(p_data, '{}'));
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'job event % for job % not recorded: %', p_event_type, p_job_id, SQLERRM;
END $$;

CREATE FUNCTION app.job_transition_allowed(from_status text, to_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE from_status
    WHEN 'queued' THEN to_status IN ('processing', 'completed', 'failed', 'cancelled')
    WHEN 'processing' THEN to_status IN ('completed', 'completed_with_errors', 'failed', 'cancelled')
    -- A finished job goes back to queued only through resubmit.
    ELSE to_status = 'queued'
  END
$$;

-- pending is a task created but held back from the queue; the engine creates claimable tasks as ready.
CREATE FUNCTION app.task_transition_allowed(from_status text, to_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE from_status
    WHEN 'pending' THEN to_status IN ('ready', 'cancelled')
    WHEN 'ready' THEN to_status IN ('processing', 'cancelled')
    WHEN 'pending_retry' THEN to_status IN ('processing', 'cancelled')
    -- processing → ready: the lease lapsed or the worker shut down and released it.
    WHEN 'processing' THEN to_status IN ('completed', 'failed', 'pending_retry', 'ready', 'cancelled')
    ELSE false
  END
$$;

CREATE FUNCTION app.jobs_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'queued' THEN
      RAISE EXCEPTION 'a job starts queued, not %', NEW.status USING ERRCODE = 'check_violation';
    END IF;
    PERFORM app.record_job_event(NEW.job_id, NULL, NULL, 'job_submitted', NEW.status, NULL, NULL,
                                 jsonb_build_object('job_type', NEW.job_type, 'app_version', NEW.app_version));
    RETURN NEW;
  END IF;
  IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NEW;
  END IF;
  IF NOT app.job_transition_allowed(OLD.status, NEW.status) THEN
    RAISE EXCEPTION 'illegal job transition % -> % (job %)', OLD.status, NEW.status, OLD.job_id USING ERRCODE = 'check_violation';
  END IF;
  PERFORM app.record_job_event(
    NEW.job_id, NULL, NEW.stage,
    CASE WHEN NEW.status = 'processing' THEN 'job_started'
         WHEN NEW.status = 'queued' THEN 'job_resubmitted'
         ELSE 'job_' || NEW.status END,
    NEW.status,
    CASE WHEN NEW.finished_at IS NOT NULL THEN (extract(epoch FROM NEW.finished_at - NEW.created_at) * 1000)::integer END,
    NULL,
    jsonb_strip_nulls(jsonb_build_object('from', OLD.status, 'error', NEW.error, 'failed_tasks', NULLIF(NEW.failed_tasks, 0))));
  RETURN NEW;
END $$;

CREATE TRIGGER jobs_guard BEFORE INSERT OR UPDATE OF status ON app.jobs
  FOR EACH ROW EXECUTE FUNCTION app.jobs_guard();

-- Task cancellations are not recorded one by one: the job's own cancelled/failed event says why, and a
-- 1,000-task job would otherwise write 1,000 identical lines.
CREATE FUNCTION app.tasks_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status NOT IN ('pending', 'ready') THEN
      RAISE EXCEPTION 'a task starts pending or ready, not %', NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NEW;
  END IF;
  IF NOT app.task_transition_allowed(OLD.status, NEW.status) THEN
    RAISE EXCEPTION 'illegal task transition % -> % (task %)', OLD.status, NEW.status, OLD.task_id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status <> 'cancelled' THEN
    PERFORM app.record_job_event(
      NEW.job_id, NEW.task_id, NEW.stage,
      CASE NEW.status WHEN 'processing' THEN 'task_started'
                      WHEN 'pending_retry' THEN 'task_retry_scheduled'
                      WHEN 'ready' THEN CASE WHEN NEW.reclaims > OLD.reclaims THEN 'task_reclaimed' ELSE 'task_released' END
                      ELSE 'task_' || NEW.status END,
      NEW.status,
      CASE WHEN OLD.status = 'processing' AND OLD.started_at IS NOT NULL
           THEN (extract(epoch FROM clock_timestamp() - OLD.started_at) * 1000)::integer END,
      COALESCE(NEW.claimed_by, OLD.claimed_by),
      jsonb_strip_nulls(jsonb_build_object(
        'from', OLD.status, 'attempt', NEW.attempt, 'task_type', NEW.task_type, 'retry', NULLIF(NEW.retry_count, 0),
        'error', CASE WHEN NEW.status IN ('failed', 'pending_retry') THEN NEW.error END,
        'run_after', CASE WHEN NEW.status = 'pending_retry' THEN NEW.run_after END,
        'resumed_from', CASE WHEN NEW.status = 'processing' THEN NEW.checkpoint -> 'phase' END)));
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER tasks_guard BEFORE INSERT OR UPDATE OF status ON app.tasks
  FOR EACH ROW EXECUTE FUNCTION app.tasks_guard();
