import type { Db } from '@meridian/db';
import type { EngineLogger } from './logger.ts';
import { runJanitorSweep, type JanitorLimits, type JanitorReport } from './operations/janitor.ts';

/** Runs a janitor sweep at start and then every interval; overlapping sweeps in one process are skipped. */
export class JanitorLoop {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<JanitorReport | null> | null = null;

  constructor(
    private readonly db: Db,
    private readonly workerId: string,
    private readonly intervalMs: number,
    private readonly limits: JanitorLimits,
    private readonly log: EngineLogger,
  ) {}

  start(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
  }

  /** One sweep now (also used by tests); null when another process's sweep holds the lock. */
  async sweep(): Promise<JanitorReport | null> {
    if (this.current) return this.current;
    this.current = runJanitorSweep(this.db, this.workerId, this.limits)
      .then((report) => {
        if (report && (report.reclaimed.length || report.failedTasks.length || report.failedJobs.length || report.workersRemoved.length)) {
          this.log.info({ janitor: report }, 'janitor: reclaimed lapsed leases / failed stuck work');
        }
        return report;
      })
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'janitor sweep failed');
        return null;
      })
      .finally(() => {
        this.current = null;
      });
    return this.current;
  }
}
