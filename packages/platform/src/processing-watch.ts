import type { PlatformContext } from './context.ts';
import { syncProcessing } from './processing-sync.ts';
import { listUnsettledReleases } from './release-store.ts';

const BATCH = 200;

/**
 * Keeps releases in step with their jobs without anyone polling status, so job.completed / job.failed
 * webhooks go out when the job ends. Each sweep looks at the releases still pending or processing;
 * several processes may sweep at once (the status update lets exactly one of them emit).
 */
export class ProcessingWatch {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.sweeping ??= this.sweep().catch(this.onError).finally(() => {
        this.sweeping = null;
      });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** One pass over the unsettled releases. */
  async sweep(): Promise<void> {
    for (const release of await listUnsettledReleases(this.ctx.db, BATCH)) await syncProcessing(this.ctx, release);
  }
}
