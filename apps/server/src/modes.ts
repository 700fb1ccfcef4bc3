/**
 * What a process exposes. `full` is everything; `gateway` is what a B2B gateway needs (health, the
 * platform API and the UI); `public` is the read-only public data surface. Routes outside a mode are
 * never registered, so they answer 404 like any unknown path.
 */
export type ExposureMode = 'full' | 'gateway' | 'public';

/** A route group: one Fastify plugin per group, each knowing which of its routes are read-only. */
export type Surface = 'health' | 'docs' | 'storage' | 'platform' | 'jobs' | 'features' | 'stac' | 'raster' | 'ui';

const SURFACES: Record<ExposureMode, readonly Surface[]> = {
  full: ['health', 'docs', 'storage', 'platform', 'jobs', 'features', 'stac', 'raster', 'ui'],
  gateway: ['health', 'docs', 'platform', 'ui'],
  public: ['health', 'docs', 'storage', 'features', 'stac', 'raster'],
};

export function exposes(mode: ExposureMode, surface: Surface): boolean {
  return SURFACES[mode].includes(surface);
}

/** In `public` mode only reads are registered (GET/HEAD), never writes. */
export function allowsWrites(mode: ExposureMode): boolean {
  return mode !== 'public';
}

export function parseExposureMode(value: string): ExposureMode {
  if (value === 'full' || value === 'gateway' || value === 'public') return value;
  throw new Error(`--mode must be gateway or public (default: everything), got "${value}"`);
}
