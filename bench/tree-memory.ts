/**
 * Peak resident memory of a process and all its descendants (GDAL children included), sampled from
 * /proc every 50 ms — what a worker machine has to provide while the work runs.
 */
import { readdir, readFile } from 'node:fs/promises';

async function children(): Promise<Map<number, number[]>> {
  const byParent = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name may contain spaces; the parent pid is the second field after its closing ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!byParent.has(ppid)) byParent.set(ppid, []);
    byParent.get(ppid)!.push(Number(entry));
  }
  return byParent;
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export async function treeRssKb(root: number): Promise<number> {
  const byParent = await children();
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += await rssKb(pid);
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

/** Samples the tree of `root` until stopped; resolves with the peak in MiB. */
export function samplePeak(root: number, everyMs = 50): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await treeRssKb(root));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak / 1024;
    },
  };
}
