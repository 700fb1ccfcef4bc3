/**
 * Progress of one phase mapped onto the task's overall percentage: a phase owns the span from..to, and
 * reports its own 0…1 fraction.
 */
import type { TaskContext } from '@meridian/orchestrator';

export function phaseProgress(ctx: TaskContext, from: number, to: number): (fraction: number, message: string) => void {
  return (fraction, message) => ctx.progress({ percent: Math.round(100 * (from + (to - from) * Math.min(1, Math.max(0, fraction)))), message });
}
