/**
 * The vector formats the loader takes, recognised by the file name's extension, and the GDAL driver that
 * must open each: a file named .geojson that GDAL reads as something else is not what it claims to be.
 */
import { MeridianError } from '@meridian/core';
import { runProcess } from '../raster/gdal-runner.ts';

export type VectorFormat = 'geojson' | 'geojsonseq' | 'shapefile' | 'zip' | 'gpkg' | 'kml' | 'kmz' | 'csv' | 'flatgeobuf' | 'parquet';

const BY_EXTENSION: Record<string, VectorFormat> = {
  geojson: 'geojson',
  json: 'geojson',
  geojsonl: 'geojsonseq',
  geojsons: 'geojsonseq',
  shp: 'shapefile',
  zip: 'zip',
  gpkg: 'gpkg',
  kml: 'kml',
  kmz: 'kmz',
  csv: 'csv',
  fgb: 'flatgeobuf',
  parquet: 'parquet',
  geoparquet: 'parquet',
};

/** The GDAL drivers that may open each format (LIBKML where installed, else the KML driver). */
export const FORMAT_DRIVERS: Record<VectorFormat, readonly string[]> = {
  geojson: ['GeoJSON'],
  geojsonseq: ['GeoJSONSeq'],
  shapefile: ['ESRI Shapefile'],
  zip: ['ESRI Shapefile'],
  gpkg: ['GPKG'],
  kml: ['LIBKML', 'KML'],
  kmz: ['LIBKML', 'KML'],
  csv: ['CSV'],
  flatgeobuf: ['FlatGeobuf'],
  parquet: ['Parquet'],
};

export function extensionOf(name: string): string {
  const file = name.split('/').pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot <= 0 ? '' : file.slice(dot + 1).toLowerCase();
}

export function formatOf(blobName: string): VectorFormat {
  const format = BY_EXTENSION[extensionOf(blobName)];
  if (!format) {
    throw new MeridianError('UNSUPPORTED_FILE_FORMAT', `"${blobName.slice(0, 200)}" is not a vector file this loader takes: use ${Object.keys(BY_EXTENSION).map((e) => `.${e}`).join(', ')}`, { blob_name: blobName });
  }
  return format;
}

let installedDrivers: Promise<Set<string>> | undefined;

/** The vector drivers of the installed GDAL (`ogrinfo --formats`), asked once per process. */
function vectorDrivers(signal: AbortSignal): Promise<Set<string>> {
  installedDrivers ??= runProcess('ogrinfo', ['--formats'], { signal }).then((result) => {
    // "  ESRI Shapefile -vector- (rw+v): ESRI Shapefile"
    const drivers = [...result.stdout.matchAll(/^\s+(.+?) -([^-]+)- \(/gm)].filter((m) => m[2]!.split(',').includes('vector'));
    return new Set(drivers.map((m) => m[1]!));
  });
  installedDrivers.catch(() => {
    installedDrivers = undefined;
  });
  return installedDrivers;
}

/** Refuses a format whose driver this GDAL lacks (GeoParquet needs GDAL built with Arrow). */
export async function assertDriverInstalled(format: VectorFormat, signal: AbortSignal): Promise<void> {
  const drivers = await vectorDrivers(signal);
  if (!FORMAT_DRIVERS[format].some((d) => drivers.has(d))) {
    throw new MeridianError('GDAL_DRIVER_MISSING', `this server's GDAL has no ${FORMAT_DRIVERS[format].join(' or ')} driver, so it cannot read .${format} files; convert the file to GeoPackage or FlatGeobuf (ogr2ogr) and upload that`, { format });
  }
}
