import type { Db, Queryable } from '@meridian/db';

/**
 * Wake-ups. One PostgreSQL channel carries `task:<task_type>` (new work is ready) and
 * `job:<job_id>:<status>` (a job ended or was cancelled). Other processes hear them through LISTEN; this
 * process hears them through a local bus after the transaction commits — the only way on PGlite, whose
 * single session cannot LISTEN to itself.
 */
const JOBS_CHANNEL = 'meridian_jobs';

export type Notice = { kind: 'task'; taskType: string } | { kind: 'job'; jobId: string; status: string };

/** The notices one transaction raised; published locally once it has committed. */
export class Notices {
  readonly payloads: string[] = [];
}

export async function notify(tx: Queryable, notices: Notices, payload: string): Promise<void> {
  if (notices.payloads.includes(payload)) return;
  await tx.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, payload]);
  notices.payloads.push(payload);
}

export function taskNotice(taskType: string): string {
  return `task:${taskType}`;
}

export function jobNotice(jobId: string, status: string): string {
  return `job:${jobId}:${status}`;
}

function parseNotice(payload: string): Notice | null {
  const [kind, a, b] = payload.split(':');
  if (kind === 'task' && a) return { kind, taskType: a };
  if (kind === 'job' && a && b) return { kind, jobId: a, status: b };
  return null;
}

type Listener = (notice: Notice) => void;
const localListeners = new WeakMap<Db, Set<Listener>>();

/** Delivers a committed transaction's notices to listeners in this process. */
function publishLocal(db: Db, notices: Notices): void {
  const listeners = localListeners.get(db);
  if (!listeners) return;
  for (const payload of notices.payloads) {
    const notice = parseNotice(payload);
    if (notice) for (const listener of listeners) listener(notice);
  }
}

/** Runs `work` in a transaction with a notice collector, then publishes the notices locally. */
export async function withNotices<T>(db: Db, work: (tx: Queryable, notices: Notices) => Promise<T>): Promise<T> {
  const notices = new Notices();
  const result = await db.transaction((tx) => work(tx, notices));
  publishLocal(db, notices);
  return result;
}

/** Subscribes to notices from this process and, on PostgreSQL, from every other one. */
export async function subscribe(db: Db, listener: Listener): Promise<() => Promise<void>> {
  let listeners = localListeners.get(db);
  if (!listeners) localListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
  const unlisten = await db.listen(JOBS_CHANNEL, (payload) => {
    const notice = parseNotice(payload);
    if (notice) listener(notice);
  });
  return async () => {
    listeners.delete(listener);
    await unlisten?.();
  };
}
