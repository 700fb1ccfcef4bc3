/**
 * Two pieces of work run side by side (the COG conversion on one core, the statistics pass on the other)
 * under one abort signal: the first failure aborts the other and is the error reported; an abort of the
 * parent signal stops both.
 */
export async function sideBySide<A, B>(parent: AbortSignal, a: (signal: AbortSignal) => Promise<A>, b: (signal: AbortSignal) => Promise<B>): Promise<[A, B]> {
  parent.throwIfAborted();
  const controller = new AbortController();
  const forward = () => controller.abort(parent.reason);
  parent.addEventListener('abort', forward, { once: true });
  const failFast = (error: unknown): never => {
    if (!controller.signal.aborted) controller.abort(error);
    throw error;
  };
  try {
    const [ra, rb] = await Promise.allSettled([a(controller.signal).catch(failFast), b(controller.signal).catch(failFast)]);
    if (ra.status === 'fulfilled' && rb.status === 'fulfilled') return [ra.value, rb.value];
    // Whoever failed first aborted the controller with its error (or the parent with its reason).
    throw controller.signal.reason;
  } finally {
    parent.removeEventListener('abort', forward);
  }
}
