-- The STAC catalog: collections and items stored as JSONB documents beside the columns search needs.
-- Written only through the repository in packages/stac. Designed for millions of items: every search
-- pages by keyset over indexed columns (never OFFSET), and spatial/temporal predicates use the indexes
-- below.
--
-- Classification: a collection or item is visible to callers without review rights only when `served`;
-- anonymous callers see served `public` rows, authenticated readers also served `ouo` rows, reviewers
-- everything. The platform's approval flow flips these two columns.

CREATE TABLE catalog.collections (
  id             text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$'),
  -- The collection document as written (its API links are generated when it is served).
  content        jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  -- The union of extent.spatial.bbox in WGS84, for collection search by bbox; NULL when unknown.
  spatial_extent geometry(Geometry, 4326),
  -- extent.temporal.interval as one span; NULL is an open end.
  temporal_start timestamptz,
  temporal_end   timestamptz,
  -- Lower-cased title, description and keywords, for the free-text parameter `q`.
  search_text    text NOT NULL DEFAULT '',
  -- {name: JSON Schema} of the item properties this collection declares (from its summaries).
  queryables     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(queryables) = 'object'),
  access_level   text NOT NULL DEFAULT 'ouo' CHECK (access_level IN ('public', 'ouo')),
  served         boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE catalog.items (
  collection     text NOT NULL REFERENCES catalog.collections (id) ON DELETE CASCADE,
  id             text NOT NULL CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$'),
  -- From content.geometry (WGS84, longitude first); NULL for an item without geometry.
  geometry       geometry(Geometry, 4326),
  -- properties.datetime, or start_datetime when the item has a range: the instant items sort by.
  datetime       timestamptz NOT NULL,
  -- The item's time span; an instant is a span of length zero.
  start_datetime timestamptz NOT NULL,
  end_datetime   timestamptz NOT NULL CHECK (end_datetime >= start_datetime),
  -- The item as written, without the links the API generates (self, parent, collection, root).
  content        jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  access_level   text NOT NULL DEFAULT 'ouo' CHECK (access_level IN ('public', 'ouo')),
  served         boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (collection, id)
);

-- The default order (datetime, collection, id, all descending) and its keyset paging, across collections.
CREATE INDEX items_datetime ON catalog.items (datetime, collection, id);
-- The same within one collection (collection items, searches naming collections).
CREATE INDEX items_collection_datetime ON catalog.items (collection, datetime, id);
CREATE INDEX items_geometry ON catalog.items USING gist (geometry);
-- Interval searches: an item overlaps [a, b] when start_datetime <= b and end_datetime >= a.
CREATE INDEX items_start_datetime ON catalog.items (start_datetime);
CREATE INDEX items_end_datetime ON catalog.items (end_datetime);
-- `ids` without `collections`.
CREATE INDEX items_id ON catalog.items (id);

-- Registered mosaic searches. The id is derived from the canonical JSON of the stored request, so it
-- never changes when the software does, and registering the same search again finds the same row.
CREATE TABLE catalog.searches (
  search_id  text PRIMARY KEY CHECK (search_id ~ '^[0-9a-f]{32}$'),
  request    jsonb NOT NULL CHECK (jsonb_typeof(request) = 'object'),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- What each consistency check found (and repaired); the newest is served at /api/stac/consistency.
CREATE TABLE catalog.consistency_reports (
  report_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  repair      boolean NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- {source: {checked, findings}} per source, and totals.
  summary     jsonb NOT NULL,
  -- [{source, kind, subject, detail, repair}] — capped; summary has the full counts.
  findings    jsonb NOT NULL
);
CREATE INDEX consistency_reports_latest ON catalog.consistency_reports (finished_at DESC);

-- Any change of a row moves updated_at, whichever code path writes it.
CREATE FUNCTION catalog.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$$;

CREATE TRIGGER collections_touch BEFORE UPDATE ON catalog.collections
  FOR EACH ROW EXECUTE FUNCTION catalog.touch_updated_at();
CREATE TRIGGER items_touch BEFORE UPDATE ON catalog.items
  FOR EACH ROW EXECUTE FUNCTION catalog.touch_updated_at();

-- A JSON value as a timestamp, or NULL when it is not a valid one: filters on free-form properties
-- must never fail on one item's bad value.
CREATE FUNCTION catalog.jsonb_timestamptz(value jsonb) RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  IF jsonb_typeof(value) <> 'string' THEN
    RETURN NULL;
  END IF;
  RETURN (value #>> '{}')::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;
