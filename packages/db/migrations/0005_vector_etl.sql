-- The vector ETL (process_vector / unpublish_vector).
--
-- Schema etl holds the tables of loads in progress: a load builds its table there, beside whatever is
-- published, and the finalize stage moves it into schema geo in one transaction (dropping the table it
-- replaces), so readers never see a half-loaded table and a failed load leaves nothing in geo.
CREATE SCHEMA IF NOT EXISTS etl;

-- One row per load of a vector table name (F7.23 revision tracking). table_name is the name the load was
-- asked for; a load of mixed geometry types publishes several tables ({table_name}_point, _line,
-- _polygon) and split views, all listed here so an overwrite or an unpublish finds every object.
CREATE TABLE app.vector_revisions (
  revision_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name       text NOT NULL CHECK (table_name ~ '^[a-z_][a-z0-9_]{0,62}$'),
  revision         integer NOT NULL CHECK (revision >= 1),
  status           text NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'superseded', 'unpublished')),
  schema_name      text NOT NULL DEFAULT 'geo',
  tables           text[] NOT NULL CHECK (cardinality(tables) >= 1),
  views            text[] NOT NULL DEFAULT '{}',
  row_count        bigint NOT NULL CHECK (row_count >= 0),
  -- OGC/GeoJSON name of the one table's type, or Geometry when the load was split by type.
  geometry_type    text NOT NULL,
  srid             integer NOT NULL DEFAULT 4326,
  source_crs       text,
  -- [{name, type, original_name}] as in geo.table_catalog.
  columns          jsonb NOT NULL CHECK (jsonb_typeof(columns) = 'array'),
  source_container text,
  source_blob      text,
  stac_collection_id text,
  stac_item_ids    text[] NOT NULL DEFAULT '{}',
  -- What the load changed in the data: [{code, message, count}] (repaired or dropped geometries, renamed columns).
  warnings         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warnings) = 'array'),
  -- Identifiers of the submitting platform (dataset_id, resource_id, version_id), when it gave them.
  client_refs      jsonb NOT NULL DEFAULT '{}',
  source_job_id    text NOT NULL,
  supersedes       bigint REFERENCES app.vector_revisions (revision_id),
  superseded_by    bigint REFERENCES app.vector_revisions (revision_id),
  unpublished_by_job_id text,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  unpublished_at   timestamptz,
  UNIQUE (table_name, revision)
);

-- At most one published revision per table name.
CREATE UNIQUE INDEX vector_revisions_current ON app.vector_revisions (table_name) WHERE status = 'current';
CREATE INDEX vector_revisions_tables ON app.vector_revisions USING gin (tables) WHERE status = 'current';
