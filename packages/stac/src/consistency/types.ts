/**
 * The consistency checker compares the catalog with the data it describes, one source of truth at a time.
 * Each source is a small module: it lists what it checked, what does not match, and (with repair) fixes
 * what can be fixed from metadata alone — missing STAC items are rebuilt, items whose data is gone are
 * removed. Anything else (a table without a catalog row, a metadata row whose file is gone) is reported
 * for a person to decide.
 */
import type { Db } from '@meridian/db';
import type { BlobStore } from '@meridian/storage';

export interface CheckContext {
  db: Db;
  store: BlobStore;
  /** Base of the absolute URLs rebuilt items point at. */
  publicUrl: string;
  repair: boolean;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  signal?: AbortSignal;
}

export type Repair = 'item_created' | 'item_deleted';

export interface Finding {
  source: string;
  /** What is wrong, e.g. `stac_item_without_table`. */
  kind: string;
  /** What it is about: a table name, `collection/item`, `container/key`. */
  subject: string;
  detail: string;
  /** What the repair did, when it did something. */
  repaired?: Repair;
}

export interface SourceResult {
  /** How many things the source looked at. */
  checked: number;
  findings: Finding[];
}

export interface ConsistencySource {
  name: string;
  /** False when the source's tables do not exist in this database (the source is skipped). */
  available(ctx: CheckContext): Promise<boolean>;
  check(ctx: CheckContext): Promise<SourceResult>;
}

export interface ConsistencyReport {
  reportId: number;
  repair: boolean;
  startedAt: string;
  finishedAt: string;
  sources: Record<string, { checked: number; findings: number; repaired: number } | { skipped: true }>;
  totals: { findings: number; repaired: number };
  /** At most MAX_STORED_FINDINGS of them; the totals count all. */
  findings: Finding[];
}
