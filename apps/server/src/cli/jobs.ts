import { parseArgs } from 'node:util';
import { JOB_STATUSES, type JobStatus } from '@meridian/orchestrator';
import { openRuntime, closeRuntime } from '../runtime.ts';
import { jobService } from '../job-engine.ts';
import { wholeNumber } from './args.ts';
import type { Command } from './commands.ts';

const USAGE = 'usage: meridian jobs [--status STATUS] [--type JOB_TYPE] [--limit N]  |  meridian jobs show JOB_ID';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export const jobsCommand: Command = {
  summary: 'list jobs [--status S] [--type T] [--limit N], or show one: meridian jobs show ID',
  async run(args, { config, log }) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { status: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' } } });
    const [sub, jobId, ...extra] = positionals;
    const limit = values.limit === undefined ? 50 : wholeNumber(values.limit, 1, 1000);
    const status = values.status as JobStatus | undefined;
    if ((sub && (sub !== 'show' || !jobId)) || extra.length || limit === null || (status && !JOB_STATUSES.includes(status))) {
      process.stderr.write(`${USAGE}\n  STATUS: ${JOB_STATUSES.join(', ')}\n`);
      return 2;
    }
    const runtime = await openRuntime(config, log, { migrate: false });
    try {
      const service = jobService(runtime);
      if (sub === 'show') {
        const { stage_views: stages, ...job } = await service.get(jobId!);
        const events = await service.events(job.job_id, 0, 1000);
        process.stdout.write(`${JSON.stringify({ ...job, stages, events }, null, 2)}\n`);
        return 0;
      }
      const { jobs, total } = await service.list({ status, jobType: values.type, limit, offset: 0 });
      const rows = [['JOB_ID', 'TYPE', 'STATUS', 'STAGE', 'CREATED'], ...jobs.map((j) => [j.job_id, j.job_type, j.status, `${j.stage}/${j.stage_count}`, j.created_at.toISOString()])];
      process.stdout.write(`${table(rows)}\n${jobs.length} of ${total} jobs\n`);
      return 0;
    } finally {
      await closeRuntime(runtime);
    }
  },
};
