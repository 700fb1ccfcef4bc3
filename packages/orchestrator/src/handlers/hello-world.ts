import { MeridianError } from '@meridian/core';
import type { TaskContext, TaskHandler } from '../task-handler.ts';

interface Greeting {
  greeting: string;
  worked_ms: number;
  resumed_from_ms?: number;
}

const SLICE_MS = 50;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Works `duration_ms` in slices. When stopped (shutdown, cancel) it checkpoints the time already worked
 * and gives up; a later run resumes from that checkpoint instead of starting over.
 */
async function work(durationMs: number, ctx: TaskContext): Promise<{ worked: number; resumedFrom: number }> {
  const resumedFrom = ctx.lastCheckpoint?.phase === 'working' ? Number((ctx.lastCheckpoint.data as { worked_ms?: number }).worked_ms ?? 0) : 0;
  let worked = resumedFrom;
  while (worked < durationMs) {
    if (ctx.signal.aborted) {
      await ctx.checkpoint('working', { worked_ms: worked });
      throw ctx.signal.reason;
    }
    const started = performance.now();
    await sleep(Math.min(SLICE_MS, durationMs - worked), ctx.signal);
    worked = Math.min(durationMs, worked + Math.round(performance.now() - started));
    ctx.progress({ percent: Math.round((100 * worked) / durationMs) });
  }
  return { worked, resumedFrom };
}

export const helloWorldGreeting: TaskHandler = {
  taskType: 'hello_world_greeting',
  async run({ parameters, item }, ctx) {
    const { message, n, failure_rate: failureRate, duration_ms: durationMs } = parameters as { message: string; n: number; failure_rate: number; duration_ms: number };
    if (Math.random() < failureRate) {
      throw new MeridianError('HELLO_WORLD_INJECTED_FAILURE', `greeting ${String(item)} of ${n} failed on purpose (failure_rate ${failureRate})`);
    }
    const { worked, resumedFrom } = await work(durationMs, ctx);
    const result: Greeting = { greeting: `${message} #${String(item)} of ${n}`, worked_ms: worked };
    if (resumedFrom > 0) result.resumed_from_ms = resumedFrom;
    return result;
  },
};

export const helloWorldReply: TaskHandler = {
  taskType: 'hello_world_reply',
  async run({ items }) {
    const greetings = (items as Greeting[]).map((g) => g.greeting);
    return { reply: `Received ${greetings.length} greetings`, greetings };
  },
};
