/**
 * The shapefile inside a zip archive. GDAL opens a zip whose root holds shapefiles, but not one whose
 * shapefile sits in a folder, and it would open a zip of a GeoJSON as GeoJSON; so the archive's listing
 * decides: exactly one .shp (or the one layer_name names), with its .shx and .dbf beside it.
 */
import yauzl from 'yauzl';
import { MeridianError } from '@meridian/core';

/** Every file name in the archive (folders and macOS resource forks left out). */
async function listMembers(zipPath: string, displayName: string): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: true });
  } catch (error) {
    throw new MeridianError('CORRUPTED_FILE', `"${displayName}" is not a readable zip archive: ${(error as Error).message}`, { blob_name: displayName }, { cause: error });
  }
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/') && !entry.fileName.startsWith('__MACOSX/')) names.push(entry.fileName);
      zip.readEntry();
    });
    zip.on('end', () => resolve(names));
    zip.on('error', (error: Error) => reject(new MeridianError('CORRUPTED_FILE', `"${displayName}" is a damaged zip archive: ${error.message}`, { blob_name: displayName }, { cause: error })));
    zip.readEntry();
  });
}

function stem(member: string): string {
  return member.replace(/\.[^./]*$/, '');
}

function layerOf(member: string): string {
  return stem(member).split('/').pop()!;
}

/** The archive member GDAL opens (the .shp). */
export async function shapefileInZip(zipPath: string, layerName: string | undefined, displayName: string): Promise<string> {
  const members = await listMembers(zipPath, displayName);
  const shapefiles = members.filter((m) => /\.shp$/i.test(m) && !m.split('/').pop()!.startsWith('.'));
  if (shapefiles.length === 0) {
    throw new MeridianError('ARCHIVE_INVALID', `"${displayName}" holds no shapefile (.shp); it has ${members.length} file(s)${members.length ? `: ${members.slice(0, 10).join(', ')}` : ''}`, { blob_name: displayName });
  }
  let chosen: string;
  if (layerName !== undefined) {
    const match = shapefiles.find((m) => layerOf(m) === layerName);
    if (!match) {
      throw new MeridianError('LAYER_NOT_FOUND', `"${displayName}" has no shapefile named "${layerName}"; it has ${shapefiles.map(layerOf).join(', ')}`, { blob_name: displayName, layers: shapefiles.map(layerOf) });
    }
    chosen = match;
  } else if (shapefiles.length > 1) {
    throw new MeridianError('ARCHIVE_INVALID', `"${displayName}" holds ${shapefiles.length} shapefiles (${shapefiles.map(layerOf).join(', ')}); give layer_name to choose one`, { blob_name: displayName, layers: shapefiles.map(layerOf) });
  } else {
    chosen = shapefiles[0]!;
  }
  const siblings = new Set(members.filter((m) => stem(m) === stem(chosen)).map((m) => m.slice(stem(chosen).length).toLowerCase()));
  const missing = ['.shx', '.dbf'].filter((ext) => !siblings.has(ext));
  if (missing.length) {
    throw new MeridianError('SHAPEFILE_INCOMPLETE', `the shapefile "${chosen}" in "${displayName}" has no ${missing.join(' and no ')} beside it`, { blob_name: displayName, missing });
  }
  return chosen;
}
