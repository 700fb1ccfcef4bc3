-- The catalog of published vector tables: one row per table in schema geo. The ETL (process_vector)
-- writes a row with an upsert by table_name when it finishes loading; OGC API Features and the vector
-- tiles read only rows with served = true, so a table is invisible until the platform publishes it.
--
-- Conventions the ETL follows for the table itself: the geometry column (geometry_column, SRID 4326,
-- longitude first) and a unique, non-null feature id column (id_column) of an integer or text type. Every
-- other column listed in `columns` is a published attribute; columns of the table that are not listed
-- (ETL bookkeeping such as etl_batch_id) are never served.

CREATE TABLE geo.table_catalog (
  table_name        text PRIMARY KEY CHECK (table_name ~ '^[a-z_][a-z0-9_]{0,62}$'),
  title             text NOT NULL,
  description       text NOT NULL DEFAULT '',
  geometry_column   text NOT NULL DEFAULT 'geom' CHECK (geometry_column ~ '^[a-z_][a-z0-9_]{0,62}$'),
  id_column         text NOT NULL DEFAULT 'id' CHECK (id_column ~ '^[a-z_][a-z0-9_]{0,62}$'),
  -- [west, south, east, north] in WGS84 degrees; NULL for an empty table.
  bbox              double precision[] CHECK (bbox IS NULL OR (cardinality(bbox) = 4 AND bbox[2] <= bbox[4])),
  temporal_start    timestamptz,
  temporal_end      timestamptz CHECK (temporal_end IS NULL OR temporal_start IS NULL OR temporal_end >= temporal_start),
  -- The column the OGC `datetime` parameter filters on (a date or timestamp column), if any.
  temporal_property text CHECK (temporal_property IS NULL OR temporal_property ~ '^[a-z_][a-z0-9_]{0,62}$'),
  -- OGC/GeoJSON name: Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon or Geometry (mixed).
  geometry_type     text NOT NULL CHECK (geometry_type IN ('Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'Geometry')),
  -- Stored data is always reprojected to EPSG:4326; source_crs keeps what the input file declared.
  srid              integer NOT NULL DEFAULT 4326 CHECK (srid = 4326),
  source_crs        text,
  feature_count     bigint NOT NULL DEFAULT 0 CHECK (feature_count >= 0),
  -- [{name, type, original_name}]: the published attributes, in order; name is the sanitized column name.
  columns           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(columns) = 'array'),
  source_container  text,
  source_blob       text,
  job_id            text,
  -- Incremented by every reload; part of the tiles' ETag, so caches notice a replaced table.
  revision          integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  access_level      text NOT NULL DEFAULT 'public' CHECK (access_level IN ('public', 'ouo')),
  served            boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX table_catalog_served ON geo.table_catalog (table_name) WHERE served;

-- Any change of a row moves updated_at, whichever code path writes it, so ETags derived from it stay honest.
CREATE FUNCTION geo.table_catalog_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$$;

CREATE TRIGGER table_catalog_touch BEFORE UPDATE ON geo.table_catalog
  FOR EACH ROW EXECUTE FUNCTION geo.table_catalog_touch();
