import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import { defineJobType, type TaskHandler } from '../src/index.ts';

/** Job types that exercise one engine behaviour each; their handlers record what they saw. */

export const flakyJob = defineJobType({
  name: 'flaky',
  version: 1,
  description: 'One task that fails transiently `fail_times` times, then succeeds.',
  parameters: Type.Object({ fail_times: Type.Integer({ minimum: 0, default: 0 }), tag: Type.String({ default: '' }) }),
  stages: [{ name: 'try', taskType: 'flaky_task', fan: 'single' }],
  maxRetries: 3,
});

/** Claim times per job, to check the backoff between attempts. */
export const flakyAttempts = new Map<string, number[]>();

export const flakyHandler: TaskHandler = {
  taskType: 'flaky_task',
  async run({ parameters }, ctx) {
    const times = flakyAttempts.get(ctx.jobId) ?? [];
    times.push(Date.now());
    flakyAttempts.set(ctx.jobId, times);
    if (ctx.attempt <= (parameters.fail_times as number)) throw new Error(`transient trouble on attempt ${ctx.attempt}`);
    return { attempts: ctx.attempt };
  },
};

export const pickyJob = defineJobType({
  name: 'picky',
  version: 1,
  description: 'Fans out n tasks; task `bad` fails for good at once, the others take a while.',
  parameters: Type.Object({ n: Type.Integer({ default: 4 }), bad: Type.Integer({ default: 2 }), tolerate: Type.Boolean({ default: false }) }),
  stages: [
    { name: 'each', taskType: 'picky_task', fan: 'fan_out' },
    { name: 'all', taskType: 'picky_gather', fan: 'fan_in' },
  ],
  initialItems: (p) => Array.from({ length: p.n }, (_, i) => i),
});

export const tolerantJob = defineJobType({ ...pickyJob, name: 'tolerant', stages: [{ ...pickyJob.stages[0]!, allowFailures: true }, pickyJob.stages[1]!] });

export const pickyHandlers: TaskHandler[] = [
  {
    taskType: 'picky_task',
    async run({ item, parameters }, ctx) {
      if (item === parameters.bad) throw new MeridianError('FILE_NOT_FOUND', `input ${String(item)} does not exist`);
      await new Promise((resolve) => setTimeout(resolve, parameters.tolerate ? 10 : 300));
      ctx.signal.throwIfAborted();
      return item;
    },
  },
  { taskType: 'picky_gather', run: async ({ items }) => ({ gathered: items }) },
];

export const emptyJob = defineJobType({
  name: 'empty_fan',
  version: 1,
  description: 'A first stage that fans out over nothing, then a fan-in.',
  parameters: Type.Object({}),
  stages: [
    { name: 'none', taskType: 'picky_task', fan: 'fan_out' },
    { name: 'all', taskType: 'picky_gather', fan: 'fan_in' },
  ],
  initialItems: () => [],
});

export const sluggishJob = defineJobType({
  name: 'sluggish',
  version: 1,
  description: 'One task that never finishes in time.',
  parameters: Type.Object({ tag: Type.String({ default: '' }) }),
  stages: [{ name: 'wait', taskType: 'sluggish_task', fan: 'single' }],
  maxRetries: 1,
});

export const sluggishHandler: TaskHandler = {
  taskType: 'sluggish_task',
  timeoutMs: 100,
  async run(_input, ctx) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    ctx.signal.throwIfAborted();
  },
};

export const TEST_JOB_TYPES = [flakyJob, pickyJob, tolerantJob, emptyJob, sluggishJob];
export const TEST_HANDLERS = [flakyHandler, ...pickyHandlers, sluggishHandler];
