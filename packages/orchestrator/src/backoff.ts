export const RETRY_CAP_MS = 300_000;

/** The wait before retry number `retryCount + 1`: min(base · 2^retryCount, cap). */
export function retryDelayMs(retryCount: number, baseMs: number, capMs = RETRY_CAP_MS): number {
  return Math.min(baseMs * 2 ** retryCount, capMs);
}
