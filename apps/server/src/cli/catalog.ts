import { parseArgs } from 'node:util';
import { runConsistencyCheck, type ConsistencyReport } from '@meridian/stac';
import { openRuntime, closeRuntime } from '../runtime.ts';
import { catalogConsistencySources, jobService } from '../job-engine.ts';
import type { Command } from './commands.ts';

const USAGE = 'usage: meridian catalog check [--repair] [--json] [--submit]';
/** Findings printed in the text summary; --json prints the stored report. */
const SHOWN_FINDINGS = 50;

function summary(report: ConsistencyReport): string {
  const lines = [`consistency report ${report.reportId} (${report.repair ? 'with repair' : 'report only'}), ${report.finishedAt}`];
  for (const [name, result] of Object.entries(report.sources)) {
    lines.push('skipped' in result ? `  ${name}: skipped (its tables do not exist)` : `  ${name}: ${result.checked} checked, ${result.findings} findings, ${result.repaired} repaired`);
  }
  for (const f of report.findings.slice(0, SHOWN_FINDINGS)) {
    lines.push(`  - [${f.source}] ${f.kind} ${f.subject}: ${f.detail}${f.repaired ? ` (repaired: ${f.repaired})` : ''}`);
  }
  if (report.totals.findings > SHOWN_FINDINGS) lines.push(`  … ${report.totals.findings - SHOWN_FINDINGS} more (GET /api/stac/consistency, or --json)`);
  return lines.join('\n');
}

/**
 * `meridian catalog check`: compares the STAC catalog with the vector tables, raster metadata and blobs it
 * describes. Exit code 0 when everything matches, 3 when findings remain (after repair: those it could not
 * repair), so a cron job can alert. `--submit` queues the check as a job for the workers instead, keyed by
 * the current hour, so schedulers on several machines make one job per hour.
 */
export const catalogCommand: Command = {
  summary: 'check the STAC catalog against the data it describes: meridian catalog check [--repair] [--json] [--submit]',
  async run(args, { config, log }) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { repair: { type: 'boolean' }, json: { type: 'boolean' }, submit: { type: 'boolean' } } });
    if (positionals.length !== 1 || positionals[0] !== 'check') {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const repair = values.repair ?? false;
    const runtime = await openRuntime(config, log, { migrate: true });
    try {
      if (values.submit) {
        const scheduledFor = new Date().toISOString().slice(0, 13);
        const { job, created } = await jobService(runtime).submit('catalog_consistency_check', { repair, scheduled_for: scheduledFor });
        process.stdout.write(`${created ? 'submitted' : 'already submitted'}: job ${job.job_id} (catalog_consistency_check, ${scheduledFor})\n`);
        return 0;
      }
      const report = await runConsistencyCheck({ db: runtime.db, store: runtime.store, publicUrl: config.publicUrl, repair, log }, catalogConsistencySources());
      process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : summary(report)}\n`);
      return report.totals.findings > report.totals.repaired ? 3 : 0;
    } finally {
      await closeRuntime(runtime);
    }
  },
};
