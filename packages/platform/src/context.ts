import type { Db } from '@meridian/db';
import type { JobService } from '@meridian/orchestrator';
import type { BlobStore } from '@meridian/storage';
import type { ReleaseRow } from './release-store.ts';
import type { PlatformEventType } from './webhook-events.ts';

/**
 * What serving a release means on the read surfaces (catalog rows, STAC items, tile caches). The server
 * wires it to the catalog, STAC and tiles packages, so the platform does not depend on them.
 */
export interface ServingHooks {
  /** Makes the release's outputs visible with this classification (approval). */
  serve(release: ReleaseRow, accessLevel: 'public' | 'ouo'): Promise<void>;
  /** Hides them again everywhere at once, caches included (revoke, reject of a revision, unpublish). */
  unserve(release: ReleaseRow): Promise<void>;
}

/** Where release and job transitions go (webhooks). */
export interface EventSink {
  emit(type: PlatformEventType, release: ReleaseRow, data: Record<string, unknown>): Promise<void>;
}

export interface PlatformContext {
  db: Db;
  jobs: JobService;
  store: BlobStore;
  /** Absolute base of the URLs the platform hands out (MERIDIAN_PUBLIC_URL). */
  publicUrl: string;
  appVersion: string;
  serving: ServingHooks;
  events: EventSink;
}
