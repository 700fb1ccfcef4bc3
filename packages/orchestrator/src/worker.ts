import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '@meridian/db';
import type { JobEngineConfig } from '@meridian/config';
import type { EngineLogger } from './logger.ts';
import type { HandlerRegistry } from './handler-registry.ts';
import { TaskAbort, type Progress } from './task-handler.ts';
import { RETRY_CAP_MS } from './backoff.ts';
import { subscribe, type Notice } from './notifications.ts';
import { JanitorLoop } from './janitor-loop.ts';
import { runTask, type TaskRunSettings } from './task-runner.ts';
import { CompletionBatcher } from './completion-batcher.ts';
import { claimTasks, type ClaimedTask, type ClaimRequest } from './operations/claim.ts';
import { renewLeases, type LeaseRenewal } from './operations/heartbeat.ts';
import { beatWorker, markWorkerStopped, registerWorker } from './operations/workers.ts';

export interface WorkerOptions {
  db: Db;
  handlers: HandlerRegistry;
  log: EngineLogger;
  appVersion: string;
  timing: JobEngineConfig & { retryCapMs?: number };
  /** `--task-types`: comma-separated globs over the registered task types (default: all). */
  taskTypes?: string;
  /** Tasks run at once by this worker (default 1). */
  concurrency?: number;
  workerId?: string;
  /** Take part in janitor sweeps (default true). */
  janitor?: boolean;
}

interface RunningTask {
  task: ClaimedTask;
  controller: AbortController;
  progress: LeaseRenewal['progress'];
  done: Promise<void>;
}

/**
 * A worker: claims tasks of its types whenever it has a free slot and is woken (a notice, its poll timer,
 * a retry coming due, a finished task), runs them, keeps their leases alive with heartbeats and takes
 * part in janitor sweeps. `stop()` is the graceful shutdown: no more claims, an abort signal to every
 * running task, up to the grace period for them to finish or checkpoint, then unfinished tasks are
 * released to the queue for another worker.
 */
export class Worker {
  readonly id: string;
  readonly taskTypes: readonly string[];
  private readonly concurrency: number;
  private readonly running = new Map<number, RunningTask>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly settings: TaskRunSettings;
  private readonly janitor: JanitorLoop | null;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  /** Slots promised to claims in flight, so two claims at once never take more than the free slots. */
  private reserved = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly options: WorkerOptions) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.taskTypes = options.handlers.select(options.taskTypes ?? '*');
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    const { timing } = options;
    this.settings = {
      db: options.db,
      log: options.log.child({ worker_id: this.id }),
      appVersion: options.appVersion,
      retryBaseMs: timing.retryBaseMs,
      retryCapMs: timing.retryCapMs ?? RETRY_CAP_MS,
      graceMs: timing.shutdownGraceMs,
      completions: new CompletionBatcher(options.db, options.appVersion, {
        reserve: (finishing) => this.reserve(this.running.size - finishing),
        deliver: (request, tasks) => this.deliver(request, tasks),
      }),
    };
    this.janitor = options.janitor === false
      ? null
      : new JanitorLoop(options.db, this.id, timing.janitorIntervalMs, timing, this.settings.log);
  }

  /** Tasks running now. */
  get busy(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('a worker starts once');
    const { db, timing, appVersion } = this.options;
    await registerWorker(db, { workerId: this.id, hostname: hostname(), pid: process.pid, taskTypes: this.taskTypes, concurrency: this.concurrency, appVersion });
    this.unsubscribe = await subscribe(db, (notice) => this.onNotice(notice));
    this.state = 'running';
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), timing.heartbeatMs);
    this.every(timing.pollMs, () => this.wake());
    this.janitor?.start();
    this.settings.log.info({ task_types: this.taskTypes, concurrency: this.concurrency }, 'worker started');
    this.wake();
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.janitor?.stop();
    await this.unsubscribe?.();
    await this.claiming;
    if (this.running.size) this.settings.log.info({ tasks: this.running.size }, 'stopping: asking running tasks to checkpoint and stop');
    // Heartbeats go on while tasks wind down, so their leases do not lapse during the grace period. A
    // completion batch in flight may still hand over tasks it claimed: they are stopped in the next round.
    while (this.running.size > 0) {
      const running = [...this.running.values()];
      for (const r of running) if (!r.controller.signal.aborted) r.controller.abort(new TaskAbort('shutdown'));
      await Promise.all(running.map((r) => r.done));
    }
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await markWorkerStopped(this.options.db, this.id).catch((error: unknown) => this.settings.log.warn({ err: error }, 'could not mark the worker stopped'));
    this.state = 'stopped';
    this.settings.log.info({}, 'worker stopped');
  }

  /** Looks for work now (the poll timer, a notice, a freed slot). */
  wake(): void {
    if (this.state !== 'running') return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimWhileFree().finally(() => {
      this.claiming = null;
    });
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    this.timers.add(timer);
  }

  private later(ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.wake();
    }, ms);
    this.timers.add(timer);
  }

  /** A claim for every slot not taken by `busy` tasks or promised to another claim; reserves them. */
  private reserve(busy: number): ClaimRequest | null {
    const free = this.concurrency - busy - this.reserved;
    if (free <= 0 || this.state !== 'running') return null;
    this.reserved += free;
    return { workerId: this.id, taskTypes: this.taskTypes, limit: free, leaseMs: this.options.timing.leaseMs };
  }

  private deliver(request: ClaimRequest, tasks: ClaimedTask[]): void {
    this.reserved -= request.limit;
    for (const task of tasks) this.launch(task);
  }

  private async claimWhileFree(): Promise<void> {
    do {
      this.claimAgain = false;
      const request = this.reserve(this.running.size);
      if (!request) return;
      let tasks: ClaimedTask[] = [];
      try {
        tasks = await claimTasks(this.options.db, request);
      } catch (error) {
        this.settings.log.error({ err: error }, 'claiming tasks failed; retrying at the next poll');
        return;
      } finally {
        this.deliver(request, tasks);
      }
      if (tasks.length === request.limit) this.claimAgain = true;
    } while (this.claimAgain);
  }

  private launch(task: ClaimedTask): void {
    const handler = this.options.handlers.get(task.task_type)!;
    const controller = new AbortController();
    const entry: RunningTask = { task, controller, progress: null, done: Promise.resolve() };
    const onProgress = (p: Progress) => {
      entry.progress = { ...p, at: new Date().toISOString() };
    };
    entry.done = runTask(this.settings, handler, task, controller, onProgress)
      .then((retryInMs) => {
        if (retryInMs !== null && this.state === 'running') this.later(retryInMs);
      })
      .catch((error: unknown) => {
        // The outcome could not be written (database unreachable): the lease lapses and the janitor
        // hands the task to another worker.
        this.settings.log.error({ err: error, task_id: task.task_id }, 'could not record the outcome of a task');
      })
      .finally(() => {
        this.running.delete(task.task_id);
        this.wake();
      });
    this.running.set(task.task_id, entry);
  }

  private onNotice(notice: Notice): void {
    if (notice.kind === 'task') {
      if (this.taskTypes.includes(notice.taskType)) this.wake();
      return;
    }
    if (notice.status !== 'cancelled' && notice.status !== 'failed') return;
    for (const r of this.running.values()) {
      if (r.task.job_id === notice.jobId && !r.controller.signal.aborted) r.controller.abort(new TaskAbort('cancelled'));
    }
  }

  /** Renews the leases of running tasks; a task whose lease could not be renewed is no longer ours. */
  private async heartbeat(): Promise<void> {
    const { db, timing } = this.options;
    const entries = [...this.running.values()];
    try {
      const held = await renewLeases(db, this.id, timing.leaseMs, entries.map((r) => ({ task_id: r.task.task_id, attempt: r.task.attempt, progress: r.progress })));
      for (const r of entries) {
        if (!held.has(r.task.task_id) && this.running.has(r.task.task_id) && !r.controller.signal.aborted) {
          r.controller.abort(new TaskAbort('lease_lost'));
        }
      }
      await beatWorker(db, this.id, this.running.size);
    } catch (error) {
      this.settings.log.warn({ err: error }, 'heartbeat failed');
    }
  }
}
