-- One row per Cloud-Optimized GeoTIFF the raster ETL published (process_raster): what the raster tile API
-- needs to open, describe and render it without reading its header first, and what unpublish_raster
-- removes. Written only through packages/etl/src/raster/metadata-repository.ts. A COG is also a STAC
-- item (collection_id, item_id); the item is the public description, this row the complete one.

CREATE TABLE app.raster_metadata (
  collection_id     text NOT NULL CHECK (collection_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  item_id           text NOT NULL CHECK (item_id ~ '^[a-z0-9][a-z0-9._-]{0,254}$'),
  tier              text NOT NULL CHECK (tier IN ('visualization', 'analysis', 'archive')),
  raster_type       text NOT NULL,
  -- The COG, in a silver-zone container.
  container         text NOT NULL,
  blob_path         text NOT NULL,
  size_bytes        bigint NOT NULL CHECK (size_bytes > 0),
  width             integer NOT NULL CHECK (width > 0),
  height            integer NOT NULL CHECK (height > 0),
  band_count        integer NOT NULL CHECK (band_count > 0),
  data_type         text NOT NULL,
  -- [{index, name, description, data_type, color_interpretation, nodata, unit, scale, offset,
  --   statistics: {minimum, maximum, mean, stddev, valid_percent, histogram: {min, max, count, buckets}}}]
  -- nodata is a number or one of "nan", "inf", "-inf" (JSON has no such numbers).
  bands             jsonb NOT NULL CHECK (jsonb_typeof(bands) = 'array'),
  epsg              integer,
  crs_wkt2          text NOT NULL,
  crs_projjson      jsonb,
  -- GDAL's affine transform: [origin x, pixel width, row rotation, origin y, column rotation, pixel height].
  geotransform      double precision[] NOT NULL CHECK (cardinality(geotransform) = 6),
  resolution        double precision[] NOT NULL CHECK (cardinality(resolution) = 2),
  -- [minx, miny, maxx, maxy] in the COG's CRS, and [west, south, east, north] in WGS84 degrees.
  bbox_native       double precision[] NOT NULL CHECK (cardinality(bbox_native) = 4),
  bbox_wgs84        double precision[] NOT NULL CHECK (cardinality(bbox_wgs84) = 4),
  footprint         geometry(Polygon, 4326) NOT NULL,
  -- [{width, height}], largest first.
  overviews         jsonb NOT NULL CHECK (jsonb_typeof(overviews) = 'array'),
  compression       text NOT NULL,
  predictor         integer,
  block_width       integer NOT NULL CHECK (block_width > 0),
  block_height      integer NOT NULL CHECK (block_height > 0),
  interleave        text NOT NULL,
  mask              text NOT NULL CHECK (mask IN ('none', 'nodata', 'alpha', 'mask')),
  datetime          timestamptz NOT NULL,
  -- Where datetime came from: the submission, the file's metadata, or the ingest time (no better source).
  datetime_source   text NOT NULL CHECK (datetime_source IN ('submission', 'file', 'ingest')),
  source_container  text NOT NULL,
  source_blob       text NOT NULL,
  source_size_bytes bigint NOT NULL,
  source_etag       text NOT NULL,
  job_id            text,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (collection_id, item_id),
  UNIQUE (container, blob_path)
);

CREATE INDEX raster_metadata_footprint ON app.raster_metadata USING gist (footprint);
CREATE INDEX raster_metadata_job ON app.raster_metadata (job_id);

CREATE FUNCTION app.raster_metadata_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$$;

CREATE TRIGGER raster_metadata_touch BEFORE UPDATE ON app.raster_metadata
  FOR EACH ROW EXECUTE FUNCTION app.raster_metadata_touch();
