/**
 * The one error catalog. Every error Meridian returns to a caller has a code listed here, with the HTTP
 * status it maps to, a message a person can read, and a remedy that says what to do about it.
 * Later capabilities add their codes here, never elsewhere.
 */
export type ErrorCategory =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'auth'
  | 'data'
  | 'storage'
  | 'database'
  | 'configuration'
  | 'internal';

export interface ErrorSpec {
  status: number;
  category: ErrorCategory;
  message: string;
  remedy: string;
  /** True when the person who submitted the request can fix it by changing the input. */
  userFixable: boolean;
}

function spec(status: number, category: ErrorCategory, userFixable: boolean, message: string, remedy: string): ErrorSpec {
  return { status, category, userFixable, message, remedy };
}

export const ERROR_CATALOG = {
  VALIDATION_ERROR: spec(400, 'validation', true, 'The request is not valid.', 'Correct the named field and send the request again.'),
  UNKNOWN_PARAMETER: spec(400, 'validation', true, 'The request names a parameter this endpoint does not accept.', 'Remove the parameter; the message lists the accepted ones.'),
  INVALID_CONTAINER_NAME: spec(400, 'validation', true, 'The container name is not valid.', 'Use 3 to 63 characters of lower-case letters, digits and "-", starting with a zone prefix (bronze-, silver-, external-).'),
  INVALID_BLOB_KEY: spec(400, 'validation', true, 'The blob key is not valid.', 'Use a relative key of at most 1024 characters without "..", empty segments, backslashes or control characters.'),
  INVALID_IDENTIFIER: spec(400, 'validation', true, 'The identifier is not valid.', 'Use letters, digits, ".", "_" and "-", starting with a letter or digit.'),
  CQL2_INVALID: spec(400, 'validation', true, 'The CQL2 filter is not valid.', 'Correct the filter at the reported position; the syntax is OGC CQL2 (text or JSON).'),
  UNKNOWN_PROPERTY: spec(400, 'validation', true, 'The request names a property the collection does not have.', 'Use one of the properties listed at the collection\'s /queryables.'),
  INVALID_BBOX: spec(400, 'validation', true, 'The bbox parameter is not valid.', 'Give 4 (or 6) comma-separated numbers west,south,east,north in the order of bbox-crs (CRS84: longitude first).'),
  INVALID_DATETIME: spec(400, 'validation', true, 'The datetime parameter is not valid.', 'Give an RFC 3339 instant (2021-06-01T12:00:00Z), a date, or an interval start/end with ".." for an open end; the collection must have a temporal property.'),
  INVALID_CRS: spec(400, 'validation', true, 'The CRS is not supported.', 'Use one of the CRS URIs listed in the collection\'s "crs" member.'),
  INVALID_RANGE: spec(416, 'validation', true, 'The requested byte range cannot be satisfied.', 'Ask for a range inside the object; its size is in the Content-Range header.'),
  PAYLOAD_TOO_LARGE: spec(413, 'validation', true, 'The upload is larger than the configured limit.', 'Split the data or ask an administrator to raise MERIDIAN_MAX_UPLOAD_BYTES.'),
  NOT_FOUND: spec(404, 'not_found', true, 'Nothing was found at this address.', 'Check the path; the API map is at /api/docs.'),
  BLOB_NOT_FOUND: spec(404, 'not_found', true, 'The blob does not exist.', 'Check the container and key, or list the container to see what it holds.'),
  BLOB_KEY_CONFLICT: spec(409, 'conflict', true, 'The blob key clashes with an existing blob or folder.', 'On file storage a key cannot be both a blob and a folder ("a" and "a/b"); choose another key or delete the other blob first.'),
  COLLECTION_NOT_FOUND: spec(404, 'not_found', true, 'The collection does not exist or is not published.', 'GET /api/features/collections lists the published collections.'),
  FEATURE_NOT_FOUND: spec(404, 'not_found', true, 'The feature does not exist in this collection.', 'Check the feature id; the items of the collection list the ids.'),
  TILE_OUT_OF_RANGE: spec(404, 'not_found', true, 'The tile is outside the tile matrix set.', 'Use 0 <= z <= the TileJSON maxzoom and 0 <= x, y < 2^z (WebMercatorQuad).'),
  FILE_NOT_FOUND: spec(404, 'not_found', true, 'The input file does not exist in storage.', 'Upload the file first (PUT /api/storage/{container}/{key}) and check the container and blob names.'),
  JOB_TYPE_UNKNOWN: spec(404, 'not_found', true, 'There is no job type with this name.', 'Use one of the job types listed in the message (GET /api/jobs/types lists them all).'),
  JOB_PARAMETERS_INVALID: spec(400, 'validation', true, 'A job parameter is not valid.', 'Correct the named parameter; the job type\'s parameter schema is in the API docs.'),
  JOB_NOT_FOUND: spec(404, 'not_found', true, 'The job does not exist.', 'Check the job id; GET /api/jobs lists the jobs.'),
  JOB_IN_PROGRESS: spec(409, 'conflict', true, 'The job is still queued or running.', 'Wait for it to finish, or cancel it first (POST /api/jobs/{job_id}/cancel).'),
  JOB_ALREADY_COMPLETED: spec(409, 'conflict', true, 'The job has already ended.', 'Nothing to cancel; resubmit it (POST /api/jobs/{job_id}/resubmit) to run it again.'),
  JOB_CANCELLED: spec(409, 'conflict', true, 'The job was cancelled.', 'Resubmit the job (POST /api/jobs/{job_id}/resubmit) to run it again.'),
  JOB_STUCK: spec(500, 'internal', false, 'The job made no progress within the configured limit and was stopped.', 'Check that a worker serving its task types is running (GET /api/health), then resubmit the job.'),
  TASK_FAILED: spec(500, 'internal', false, 'A task of the job failed after all its retries.', 'Read the task error in GET /api/jobs/{job_id}/tasks; resubmit once the cause is fixed.'),
  TASK_TIMEOUT: spec(504, 'internal', false, 'A task ran longer than its time limit.', 'Resubmit with smaller input, or ask an operator whether the workers are overloaded.'),
  TASK_LEASE_EXPIRED: spec(500, 'internal', false, 'The worker running a task stopped responding too many times.', 'The task may crash its worker (memory, a native tool); check the worker logs before resubmitting.'),
  HELLO_WORLD_INJECTED_FAILURE: spec(422, 'data', true, 'A hello_world task failed on purpose (failure_rate).', 'Submit hello_world with failure_rate 0 to see it succeed.'),
  UNAUTHORIZED: spec(401, 'auth', true, 'The request needs a valid bearer token.', 'Send "Authorization: Bearer <token>" with a current token issued for this API (issuer and audience as configured).'),
  FORBIDDEN: spec(403, 'auth', true, 'The caller\'s roles do not allow this operation.', 'Ask an administrator for the role the message names (reader, submitter, reviewer or admin).'),
  RELEASE_NOT_FOUND: spec(404, 'not_found', true, 'There is no such release, request, job or asset.', 'Check the identifier; GET /api/platform/status/{id} accepts a request_id, job_id, release_id or asset_id.'),
  RELEASE_TRANSITION_INVALID: spec(400, 'validation', true, 'The release is not in the state this transition starts from.', 'Read the release state in GET /api/platform/status/{id}: approve and reject need pending_review with processing completed, revoke needs approved.'),
  RELEASE_EXISTS: spec(409, 'conflict', true, 'A release with these identifiers exists already.', 'Set processing_options.overwrite to true to replace it, or submit a new version_id.'),
  RELEASE_STATE_INVALID: spec(409, 'conflict', true, 'The release is in a state that does not allow this operation.', 'Read the release state in GET /api/platform/status/{id}; the message says what to do.'),
  VERSION_CONFLICT: spec(409, 'conflict', true, 'Another approved release of the asset holds this version_id.', 'Approve with another version_id, or revoke the other release first.'),
  UNSUPPORTED_FILE_FORMAT: spec(400, 'validation', true, 'Unsupported file format.', 'Use geojson, json, gpkg, shp, zip, csv, kml, kmz, fgb or parquet (vector), tif or tiff (raster), nc or zarr (multidimensional).'),
  GDAL_DRIVER_MISSING: spec(400, 'validation', true, "This server's GDAL cannot read this file format.", 'Convert the file to GeoPackage or FlatGeobuf (ogr2ogr -f GPKG out.gpkg in.parquet) and upload that, or ask an operator to install a GDAL built with the driver (GeoParquet needs Arrow/Parquet support).'),
  NOT_IMPLEMENTED: spec(501, 'internal', false, 'This operation is not implemented yet.', 'Use another data type or operation; the message says which part is missing.'),
  CORRUPTED_FILE: spec(422, 'data', true, 'The file is damaged or is not in the format its name says.', 'Check that the file opens in GDAL or QGIS and upload it again: zero-byte, truncated files and HTML error pages saved under a data file name fail this way.'),
  CRS_MISSING: spec(422, 'data', true, 'The data has no coordinate reference system.', 'Embed the CRS in the file, or give it with the submission (the crs parameter, e.g. "EPSG:4326").'),
  INPUT_TOO_LARGE: spec(422, 'data', true, 'The input file is larger than the processing limit.', 'Split the file into smaller pieces (a raster collection accepts many files), or ask an operator to raise MERIDIAN_RASTER_MAX_INPUT_BYTES.'),
  RASTER_NOT_GEOREFERENCED: spec(422, 'data', true, 'The raster has no georeference: no geotransform and no ground control points.', 'Georeference the raster (e.g. in QGIS or with gdal_translate -a_ullr / gdalwarp) and upload it again.'),
  RASTER_EMPTY: spec(422, 'data', true, 'Every pixel of the raster is nodata.', 'Check the export that produced the file (a wrong nodata value marks every pixel empty) and upload it again.'),
  RASTER_TYPE_MISMATCH: spec(422, 'data', true, 'The raster does not look like the raster_type that was given.', 'Submit with raster_type "auto", or with the type the message says the data looks like.'),
  RASTER_TIER_UNSUPPORTED: spec(422, 'data', true, 'The requested output tier cannot hold this raster.', 'The visualization tier (JPEG) takes 3-band 8-bit rasters only; ask for the analysis or archive tier instead.'),
  UNSUPPORTED_DATA_TYPE: spec(422, 'data', true, 'The raster uses a data type Meridian does not serve (64-bit integers or complex numbers).', 'Convert the bands to Int32, UInt32, Float32 or Float64 (e.g. gdal_translate -ot Float64) and upload again.'),
  EXTREME_VALUES: spec(422, 'data', true, 'The raster holds values at the limits of its data type that are not declared as nodata.', 'Declare the fill value as nodata (gdal_edit.py -a_nodata VALUE) or replace it, then upload again.'),
  RASTER_ITEM_EXISTS: spec(409, 'conflict', true, 'A raster item with this id exists already in the collection.', 'Submit with overwrite true to replace it, or choose another item_id.'),
  RASTER_ITEM_NOT_FOUND: spec(404, 'not_found', true, 'There is no processed raster with this collection and item id.', 'Check the ids; GET /api/stac/collections/{collection_id}/items lists the items.'),
  GDAL_FAILED: spec(500, 'internal', false, 'A GDAL tool failed while processing the raster.', 'The message quotes GDAL; retry, and report it to the operators if it keeps failing.'),
  GDAL_TOOL_MISSING: spec(500, 'configuration', false, 'A GDAL tool Meridian needs is not installed on this worker.', 'Install Debian\'s gdal-bin and python3-gdal (GDAL >= 3.6) on the worker and restart it.'),
  COG_VALIDATION_FAILED: spec(500, 'internal', false, 'A converted file did not pass the Cloud-Optimized GeoTIFF validation.', 'Report it to the operators with the job id; the message lists what the validator found.'),
  CONFIG_INVALID: spec(500, 'configuration', false, 'The configuration is not valid.', 'Fix the named environment variable and restart.'),
  DATABASE_UNAVAILABLE: spec(503, 'database', false, 'The database cannot be reached.', 'Check that PostgreSQL is running and MERIDIAN_DATABASE_URL is right.'),
  DATABASE_LOCKED: spec(503, 'database', false, 'The embedded database is in use by another Meridian process.', 'Stop the other process, or give this one its own MERIDIAN_HOME.'),
  MIGRATION_CHECKSUM_MISMATCH: spec(500, 'database', false, 'A database migration was edited after it had been applied.', 'Restore the original migration file and add the change as a new numbered migration.'),
  MIGRATION_FAILED: spec(500, 'database', false, 'A database migration failed.', 'Read the logged cause, fix the database or the migration, and run `meridian migrate` again.'),
  POSTGIS_MISSING: spec(500, 'database', false, 'PostGIS is not installed on the database server.', 'Install PostGIS (Debian: apt-get install postgresql-15-postgis-3) and restart.'),
  STORAGE_UNAVAILABLE: spec(503, 'storage', false, 'The blob store cannot be reached or written.', 'Check MERIDIAN_STORAGE_URL, its credentials and free disk space.'),
  SERVICE_UNAVAILABLE: spec(503, 'internal', false, 'The service is not ready.', 'Retry in a few seconds; /api/readyz names the failing check.'),
  STAC_INVALID: spec(400, 'validation', true, 'The STAC item or collection is not valid STAC 1.x.', 'Correct the field at the reported path; items and collections must follow the STAC 1.x core and the extensions they declare.'),
  STAC_EXTENSION_UNSUPPORTED: spec(400, 'validation', true, 'The document declares a STAC extension Meridian cannot validate.', 'Declare only the supported extensions listed in the message (projection, raster, eo, file), or remove the URI from stac_extensions.'),
  STAC_COLLECTION_NOT_FOUND: spec(404, 'not_found', true, 'The STAC collection does not exist or is not published.', 'GET /api/stac/collections lists the collections you can see.'),
  STAC_ITEM_NOT_FOUND: spec(404, 'not_found', true, 'The STAC item does not exist in this collection or is not published.', 'Check the item id; GET /api/stac/collections/{collectionId}/items lists the items you can see.'),
  STAC_COLLECTION_EXISTS: spec(409, 'conflict', true, 'A STAC collection with this id exists already.', 'Replace it with PUT /api/stac/collections/{collectionId}, or choose another id.'),
  STAC_ITEM_EXISTS: spec(409, 'conflict', true, 'A STAC item with this id exists already in the collection.', 'Replace it with PUT /api/stac/collections/{collectionId}/items/{itemId}, or choose another id.'),
  STAC_SEARCH_NOT_FOUND: spec(404, 'not_found', true, 'No search is registered with this id.', 'Register the search first; its id is returned when it is registered.'),
  INVALID_PAGING_TOKEN: spec(400, 'validation', true, 'The paging token is not valid for this request.', 'Follow the "next" link of the previous page unchanged instead of building the token yourself.'),
  TILE_MATRIX_SET_UNKNOWN: spec(404, 'not_found', true, 'There is no tile matrix set with this id.', 'Use WebMercatorQuad or WorldCRS84Quad; GET /api/raster/tileMatrixSets lists them.'),
  RASTER_TILE_OUTSIDE_BOUNDS: spec(404, 'not_found', true, 'The tile or point is outside the raster\'s bounds.', 'Ask for tiles inside the bounds and zoom range given by the tilejson.json or info of the raster.'),
  RASTER_PARAMETER_INVALID: spec(400, 'validation', true, 'A raster rendering parameter is not valid.', 'Correct the named parameter (bidx, rescale, colormap, format, nodata, …); the API docs describe each.'),
  RASTER_EXPRESSION_INVALID: spec(400, 'validation', true, 'The band math expression is not valid.', 'Use b1..bN, numbers, + - * / ^, parentheses and the functions named in the message, e.g. (b4-b3)/(b4+b3).'),
  RASTER_COLORMAP_UNKNOWN: spec(400, 'validation', true, 'There is no colormap with this name.', 'Use one of the names GET /api/raster/colorMaps lists, or pass your own with the colormap parameter.'),
  RASTER_TOO_LARGE: spec(400, 'validation', true, 'The requested image or read is larger than the limit.', 'Ask for a smaller area or size (max_size, width, height); the message gives the limit.'),
  RASTER_GEOMETRY_INVALID: spec(400, 'validation', true, 'The GeoJSON body is not a usable (multi)polygon feature.', 'Send a GeoJSON Feature or FeatureCollection of Polygon or MultiPolygon geometries in coord_crs (default CRS84).'),
  RASTER_CRS_UNSUPPORTED: spec(400, 'validation', true, 'The coordinate reference system is not supported for raster reads.', 'Use EPSG:4326, EPSG:3857, a UTM zone (EPSG:326xx/327xx) or another code listed in the message.'),
  RASTER_FORMAT_UNSUPPORTED: spec(422, 'data', true, 'The raster file uses a sample layout the tile reader does not support.', 'Re-process the raster into a COG with 8-, 16-, 32- or 64-bit samples.'),
  RASTER_NO_DATA: spec(404, 'not_found', true, 'The search matches no item with raster data.', 'Check the search\'s collections, bbox, datetime and filter; GET its info to see the matched extent.'),
  FILE_TOO_LARGE: spec(413, 'validation', true, 'The input file is larger than the vector ETL accepts.', 'Split the data into several files (e.g. with ogr2ogr -where or -spat), or ask an operator to raise MERIDIAN_VECTOR_MAX_INPUT_BYTES.'),
  VECTOR_NO_FEATURES: spec(422, 'data', true, 'The file holds no features with a geometry.', 'Check the export: the layer is empty, the KML has no placemarks, the CSV has only its header row, or every geometry is null.'),
  VECTOR_NO_GEOMETRY: spec(422, 'data', true, 'The layer has no geometry column.', 'Choose a layer with geometries (layer_name); for a CSV give lat_column and lon_column, or wkt_column.'),
  CSV_COLUMNS_MISSING: spec(400, 'validation', true, 'The coordinate columns of the CSV are not given or not in the file.', 'Give lat_column and lon_column, or wkt_column, naming columns of the CSV header (the message lists them).'),
  COORDINATES_OUT_OF_RANGE: spec(422, 'data', true, 'Coordinates fall outside the valid range of their coordinate reference system.', 'Check that latitude and longitude are not swapped and are in degrees (latitude -90..90, longitude -180..180), or give the crs the coordinates are really in.'),
  LAYER_NOT_FOUND: spec(400, 'validation', true, 'The file has no layer with this name.', 'Give one of the layers the message lists as layer_name (ogrinfo FILE lists them too).'),
  SHAPEFILE_INCOMPLETE: spec(422, 'data', true, 'Part of the shapefile is missing.', 'Upload the .shp with its .shx, .dbf and .prj side by side under the same name, or zip them together.'),
  ARCHIVE_INVALID: spec(422, 'data', true, 'The zip archive does not hold exactly one shapefile.', 'Zip one shapefile (.shp, .shx, .dbf, .prj) per archive, or give layer_name to choose one of several.'),
  FEATURE_TOO_LARGE: spec(422, 'data', true, 'A single feature is larger than the vector loader accepts.', 'Simplify or split the geometry (e.g. ogr2ogr -simplify, or ST_Subdivide) and upload the file again.'),
  COLUMN_NOT_FOUND: spec(400, 'validation', true, 'A parameter names a column the data does not have.', 'Use a column listed in the message (original or sanitized name) in temporal_property, split_column or indexes.'),
  SPLIT_COLUMN_INVALID: spec(422, 'data', true, 'The split column has more distinct values than split views are made for.', 'Choose a split_column with at most 20 distinct values, or leave split_column out.'),
  TABLE_EXISTS: spec(409, 'conflict', true, 'A vector table with this name exists already.', 'Choose another table_name, or submit with overwrite: true to replace the table.'),
  TABLE_NOT_FOUND: spec(404, 'not_found', true, 'There is no published vector table with this name.', 'Check table_name; GET /api/features/collections lists the published tables.'),
  UPLOAD_NOT_FOUND: spec(404, 'not_found', true, 'There is no such chunked upload: it was completed, aborted or has expired.', 'Start a new upload with POST /api/storage/uploads; an upload not completed within MERIDIAN_UPLOAD_SESSION_TTL_SECONDS is removed.'),
  UPLOAD_PART_INVALID: spec(400, 'validation', true, 'The part does not fit the chunked upload.', 'Send part n (0 to part_count - 1) with exactly part_size bytes (the last part: the rest of the file), as the upload session says.'),
  UPLOAD_INCOMPLETE: spec(409, 'conflict', true, 'Not every part of the chunked upload has arrived.', 'Send the parts the message lists as missing (GET the upload to see which arrived), then complete it again.'),
  INTERNAL_ERROR: spec(500, 'internal', false, 'An internal error occurred.', 'Retry; if it keeps failing, report the request id to the operators.'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}
