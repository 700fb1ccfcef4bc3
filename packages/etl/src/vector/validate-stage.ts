/**
 * Stage 1 of process_vector: everything that can be known before a row is loaded. The blob exists and is
 * within the size limit, GDAL opens it with the driver its name promises, the layer exists and has
 * features and a geometry, the CRS is known or given, coordinates are in range, the columns the
 * parameters name exist, and the table name is free (or overwrite is set). The result is the load plan.
 */
import { MeridianError } from '@meridian/core';
import type { BlobRef, BlobStore } from '@meridian/storage';
import type { Queryable } from '@meridian/db';
import { sanitizeColumnNames } from './column-names.ts';
import { TEMPORAL_TYPES, pgColumnType } from './column-types.ts';
import { FORMAT_DRIVERS, assertDriverInstalled, formatOf, type VectorFormat } from './formats.ts';
import { ogrInfo, type OgrLayer } from './ogr-info.ts';
import type { ReadRequest } from './ogr-stream.ts';
import { targetTableName, type ProcessVectorParameters } from './parameters.ts';
import { checkSourceBlob, openLocalSource } from './source-file.ts';
import { tableNameTaken } from './table-names.ts';
import { warning, type VectorWarning } from './warnings.ts';

export interface PlannedColumn {
  /** The sanitized column name. */
  name: string;
  /** The PostgreSQL type. */
  type: string;
  original_name: string;
}

export interface LoadPlan {
  table_name: string;
  source: { container: string; key: string; format: VectorFormat; layer: string; open_options: string[] };
  crs: ReadRequest['crs'];
  /** The CRS the file declared (or was given), kept in the catalog as source_crs. */
  source_crs: string;
  columns: PlannedColumn[];
  feature_count: number | null;
  temporal_property: string | null;
  split_column: string | null;
  indexes: { spatial: boolean; attributes: string[]; temporal: string[] };
  warnings: VectorWarning[];
}

export interface ValidateDeps {
  db: Queryable;
  store: BlobStore;
  home: string;
  maxInputBytes: number;
}

/** The CSV open options that make GDAL build point or WKT geometries and detect column types. */
function csvOpenOptions(parameters: ProcessVectorParameters): string[] {
  const common = ['AUTODETECT_TYPE=YES', 'AUTODETECT_SIZE_LIMIT=0', 'EMPTY_STRING_AS_NULL=YES'];
  if (parameters.wkt_column) return [...common, `GEOM_POSSIBLE_NAMES=${parameters.wkt_column}`, 'KEEP_GEOM_COLUMNS=NO'];
  return [...common, `X_POSSIBLE_NAMES=${parameters.lon_column}`, `Y_POSSIBLE_NAMES=${parameters.lat_column}`, 'KEEP_GEOM_COLUMNS=YES'];
}

function checkCsvParameters(parameters: ProcessVectorParameters): void {
  const { lat_column: lat, lon_column: lon, wkt_column: wkt } = parameters;
  if (wkt || (lat && lon)) return;
  const missing = lat ? 'lon_column' : lon ? 'lat_column' : 'lat_column and lon_column, or wkt_column';
  throw new MeridianError('CSV_COLUMNS_MISSING', `a CSV needs its coordinate columns: give ${missing}`, { parameter: lat ? 'lon_column' : lon ? 'lat_column' : 'lat_column' });
}

function checkCsvColumns(parameters: ProcessVectorParameters, header: string[], blobName: string): void {
  const named = [parameters.wkt_column, parameters.lat_column, parameters.lon_column].filter((c): c is string => c !== undefined);
  const absent = named.filter((c) => !header.some((h) => h.toLowerCase() === c.toLowerCase()));
  if (absent.length) {
    throw new MeridianError('CSV_COLUMNS_MISSING', `"${blobName}" has no column ${absent.map((c) => `"${c}"`).join(' or ')}; its columns are ${header.map((h) => `"${h}"`).join(', ') || 'none'}`, { columns: header });
  }
}

function chooseLayer(layers: OgrLayer[], parameters: ProcessVectorParameters, blobName: string, format: VectorFormat, warnings: VectorWarning[]): OgrLayer {
  if (layers.length === 0) throw new MeridianError('VECTOR_NO_FEATURES', `"${blobName}" holds no layers (a KML without placemarks, an empty GeoPackage)`, { blob_name: blobName });
  const names = layers.map((l) => l.name);
  // A zipped shapefile's layer was chosen from the archive listing already.
  if (parameters.layer_name !== undefined && format !== 'zip') {
    const layer = layers.find((l) => l.name === parameters.layer_name);
    if (!layer) throw new MeridianError('LAYER_NOT_FOUND', `"${blobName}" has no layer "${parameters.layer_name}"; its layers are ${names.map((n) => `"${n}"`).join(', ')}`, { layers: names });
    return layer;
  }
  if (layers.length === 1) return layers[0]!;
  const layer = layers.find((l) => l.featureCount !== 0) ?? layers[0]!;
  warnings.push(warning('MULTIPLE_LAYERS', `"${blobName}" has ${layers.length} layers (${names.join(', ')}); loaded "${layer.name}" — give layer_name to choose another`));
  return layer;
}

const DEGREE_EPSILON = 1e-9;

/** Degrees outside the globe mean swapped or mislabelled columns, or a projected file without its CRS. */
function checkGeographicExtent(layer: OgrLayer, parameters: ProcessVectorParameters, blobName: string): void {
  if (!layer.extent) return;
  const [minX, minY, maxX, maxY] = layer.extent;
  const latFirst = layer.axisMapping === '1,2' && layer.crs !== null;
  const [minLon, maxLon, minLat, maxLat] = latFirst ? [minY, maxY, minX, maxX] : [minX, maxX, minY, maxY];
  const lonOk = minLon >= -180 - DEGREE_EPSILON && maxLon <= 180 + DEGREE_EPSILON;
  const latOk = minLat >= -90 - DEGREE_EPSILON && maxLat <= 90 + DEGREE_EPSILON;
  if (lonOk && latOk) return;
  const columns = parameters.lat_column ? ` (columns "${parameters.lat_column}" and "${parameters.lon_column}")` : '';
  throw new MeridianError(
    'COORDINATES_OUT_OF_RANGE',
    `"${blobName}" has longitudes from ${minLon} to ${maxLon} and latitudes from ${minLat} to ${maxLat}${columns}: not degrees of EPSG:4326`,
    { extent: [minLon, minLat, maxLon, maxLat] },
  );
}

function resolveCrs(layer: OgrLayer, parameters: ProcessVectorParameters, format: VectorFormat, blobName: string): { crs: ReadRequest['crs']; label: string; geographic: boolean } {
  if (parameters.crs) {
    return parameters.crs === 'EPSG:4326'
      ? { crs: { kind: 'wgs84' }, label: parameters.crs, geographic: true }
      : { crs: { kind: 'given', crs: parameters.crs }, label: parameters.crs, geographic: false };
  }
  if (layer.crs) return { crs: layer.crs.epsg === 4326 ? { kind: 'wgs84' } : { kind: 'declared' }, label: layer.crs.label, geographic: layer.crs.geographic };
  // CSV and text coordinates carry no CRS; longitude/latitude in WGS 84 is what they mean.
  if (format === 'csv') return { crs: { kind: 'wgs84' }, label: 'EPSG:4326', geographic: true };
  const hint = format === 'shapefile' || format === 'zip' ? ' (the shapefile has no .prj)' : '';
  throw new MeridianError('CRS_MISSING', `"${blobName}" declares no coordinate reference system${hint}; give crs, e.g. "EPSG:32633"`, { blob_name: blobName });
}

/** A column a parameter names, by its original or its sanitized name. */
function findColumn(columns: PlannedColumn[], name: string, parameter: string): PlannedColumn {
  const column = columns.find((c) => c.original_name === name) ?? columns.find((c) => c.name === name)
    ?? columns.find((c) => c.original_name.toLowerCase() === name.toLowerCase());
  if (!column) {
    throw new MeridianError('COLUMN_NOT_FOUND', `${parameter} names "${name}", which is not a column of the data; the columns are ${columns.map((c) => `"${c.original_name}"`).join(', ') || 'none'}`, { parameter, columns: columns.map((c) => c.original_name) });
  }
  return column;
}

function temporalColumn(columns: PlannedColumn[], name: string, parameter: string): string {
  const column = findColumn(columns, name, parameter);
  if (!TEMPORAL_TYPES.has(column.type)) {
    throw new MeridianError('JOB_PARAMETERS_INVALID', `${parameter} "${name}" is a ${column.type} column; it must hold dates or date-times`, { parameter });
  }
  return column.name;
}

function planColumns(layer: OgrLayer, warnings: VectorWarning[]): PlannedColumn[] {
  const names = sanitizeColumnNames(layer.fields.map((f) => f.name));
  const columns = layer.fields.map((f, i) => ({ name: names[i]!, type: pgColumnType(f), original_name: f.name }));
  const renamed = columns.filter((c) => c.name !== c.original_name.toLowerCase());
  if (renamed.length) {
    warnings.push(warning('COLUMNS_RENAMED', `${renamed.length} attribute name(s) changed to plain column names: ${renamed.slice(0, 10).map((c) => `"${c.original_name}" → ${c.name}`).join(', ')} (the catalog keeps the originals)`, renamed.length));
  }
  return columns;
}

export async function validateSource(deps: ValidateDeps, parameters: ProcessVectorParameters, signal: AbortSignal): Promise<LoadPlan> {
  const tableName = targetTableName(parameters);
  const ref: BlobRef = { container: parameters.container_name, key: parameters.blob_name };
  const format = formatOf(ref.key);
  if (format === 'csv') checkCsvParameters(parameters);
  await assertDriverInstalled(format, signal);
  await checkSourceBlob(deps.store, ref, deps.maxInputBytes);
  if (!parameters.overwrite && (await tableNameTaken(deps.db, tableName))) {
    throw new MeridianError('TABLE_EXISTS', `table geo.${tableName} exists already; give another table_name or overwrite: true`, { table_name: tableName });
  }
  const warnings: VectorWarning[] = [];
  const local = await openLocalSource(deps.store, ref, format, { home: deps.home, layerName: parameters.layer_name, signal });
  try {
    let openOptions: string[] = [];
    if (format === 'csv') {
      const plain = await ogrInfo(local.gdalPath, [], signal, ref.key, true);
      checkCsvColumns(parameters, plain.layers[0]?.fields.map((f) => f.name) ?? [], ref.key);
      openOptions = csvOpenOptions(parameters);
    }
    const dataset = await ogrInfo(local.gdalPath, openOptions, signal, ref.key);
    if (dataset.driver && !FORMAT_DRIVERS[format].includes(dataset.driver)) {
      throw new MeridianError('CORRUPTED_FILE', `"${ref.key}" is named like ${format} data but GDAL reads it as ${dataset.driver}`, { blob_name: ref.key, driver: dataset.driver });
    }
    const layer = chooseLayer(dataset.layers, parameters, ref.key, format, warnings);
    if (layer.geometryType === 'None') {
      throw new MeridianError('VECTOR_NO_GEOMETRY', `layer "${layer.name}" of "${ref.key}" has no geometry column`, { layer: layer.name });
    }
    if (layer.featureCount === 0) throw new MeridianError('VECTOR_NO_FEATURES', `layer "${layer.name}" of "${ref.key}" has no features`, { layer: layer.name });
    const crs = resolveCrs(layer, parameters, format, ref.key);
    if (crs.geographic) checkGeographicExtent(layer, parameters, ref.key);
    if (/3D|Measured/.test(layer.geometryType)) {
      warnings.push(warning('Z_VALUES_DROPPED', `the geometries have ${layer.geometryType.includes('3D') ? 'Z' : 'M'} values; they are stored in 2D`));
    }
    const columns = planColumns(layer, warnings);
    const indexes = parameters.indexes ?? { spatial: true, temporal: [], attributes: [] };
    return {
      table_name: tableName,
      source: { container: ref.container, key: ref.key, format, layer: layer.name, open_options: openOptions },
      crs: crs.crs,
      source_crs: crs.label,
      columns,
      feature_count: layer.featureCount,
      temporal_property: parameters.temporal_property ? temporalColumn(columns, parameters.temporal_property, 'temporal_property') : null,
      split_column: parameters.split_column ? findColumn(columns, parameters.split_column, 'split_column').name : null,
      indexes: {
        spatial: indexes.spatial,
        attributes: indexes.attributes.map((c) => findColumn(columns, c, 'indexes.attributes').name),
        temporal: indexes.temporal.map((c) => temporalColumn(columns, c, 'indexes.temporal')),
      },
      warnings,
    };
  } finally {
    await local.release();
  }
}
