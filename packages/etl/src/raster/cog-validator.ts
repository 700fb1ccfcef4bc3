/**
 * GDAL's own Cloud-Optimized GeoTIFF validator (`validate_cloud_optimized_geotiff.py`, shipped by
 * Debian's python3-gdal), run on every output before it is accepted. Its location is asked of dpkg once
 * per process; it runs with Debian's /usr/bin/python3, which has the osgeo module.
 */
import { MeridianError } from '@meridian/core';
import { runProcess } from './gdal-runner.ts';

const PYTHON = '/usr/bin/python3';
const VALIDATOR = 'validate_cloud_optimized_geotiff.py';

let located: Promise<string> | undefined;

async function locate(): Promise<string> {
  const listing = await runProcess('dpkg', ['-L', 'python3-gdal']);
  const paths = listing.stdout.split('\n').filter((line) => line.endsWith(`/${VALIDATOR}`));
  // The copy in the osgeo_utils module is the one Debian keeps current; the docs copy is an example.
  const path = paths.find((p) => p.includes('/osgeo_utils/')) ?? paths[0];
  if (listing.code !== 0 || !path) {
    throw new MeridianError('GDAL_TOOL_MISSING', `${VALIDATOR} was not found: install Debian's python3-gdal`, { tool: VALIDATOR });
  }
  return path;
}

export function cogValidatorPath(): Promise<string> {
  located ??= locate().catch((error: unknown) => {
    located = undefined;
    throw error;
  });
  return located;
}

export interface CogValidation {
  warnings: string[];
}

function listed(section: string, output: string): string[] {
  const start = output.indexOf(section);
  if (start < 0) return [];
  return output.slice(start + section.length).split('\n').filter((l) => l.startsWith(' - ')).map((l) => l.slice(3).trim());
}

/** Resolves with the validator's warnings when `path` is a valid COG; COG_VALIDATION_FAILED otherwise. */
export async function validateCog(path: string, signal?: AbortSignal): Promise<CogValidation> {
  const result = await runProcess(PYTHON, [await cogValidatorPath(), '--full-check=yes', path], { signal });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) {
    const errors = listed('The following errors were found:', output);
    const detail = errors.length ? errors.join('; ') : output.trim().split('\n').slice(-3).join('; ');
    throw new MeridianError('COG_VALIDATION_FAILED', `the converted file is not a valid Cloud-Optimized GeoTIFF: ${detail}`, { errors });
  }
  return { warnings: listed('The following warnings were found:', output) };
}
