/** CPU time of processes (Linux /proc), for benchmarks that judge work per operation rather than wall time. */
import { readFile } from 'node:fs/promises';

/** Linux reports process CPU in clock ticks of 1/100 s (CLK_TCK). */
const CLOCK_TICKS_PER_MS = 100 / 1000;

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_MS;
}

/** CPU so far of each of `pids`, by pid. */
export async function sampleCpuMs(pids: readonly number[]): Promise<Map<number, number>> {
  return new Map(await Promise.all(pids.map(async (pid) => [pid, await cpuMs(pid)] as const)));
}

/** CPU spent between two samples; a process first seen in `after` counts from its start. */
export function spent(before: Map<number, number>, after: Map<number, number>): number {
  return [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);
}
