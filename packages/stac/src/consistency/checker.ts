/**
 * Runs the consistency sources one after another, stores the report in catalog.consistency_reports and
 * returns it. The newest report is what the API and the UI show.
 */
import type { Queryable } from '@meridian/db';
import type { CheckContext, ConsistencyReport, ConsistencySource, Finding } from './types.ts';

/** The stored report keeps this many findings; its totals count them all. */
export const MAX_STORED_FINDINGS = 1_000;

export async function runConsistencyCheck(ctx: CheckContext, sources: readonly ConsistencySource[]): Promise<ConsistencyReport> {
  const startedAt = new Date();
  const summary: ConsistencyReport['sources'] = {};
  const findings: Finding[] = [];
  for (const source of sources) {
    if (!(await source.available(ctx))) {
      summary[source.name] = { skipped: true };
      continue;
    }
    const result = await source.check(ctx);
    const repaired = result.findings.filter((f) => f.repaired !== undefined).length;
    summary[source.name] = { checked: result.checked, findings: result.findings.length, repaired };
    findings.push(...result.findings);
    ctx.log.info({ source: source.name, checked: result.checked, findings: result.findings.length, repaired }, 'consistency source checked');
  }
  const totals = { findings: findings.length, repaired: findings.filter((f) => f.repaired !== undefined).length };
  const stored = findings.slice(0, MAX_STORED_FINDINGS);
  const { rows } = await ctx.db.query<{ report_id: number; finished_at: Date }>(
    `INSERT INTO catalog.consistency_reports (repair, started_at, summary, findings)
     VALUES ($1, $2, $3::jsonb, $4::jsonb) RETURNING report_id, finished_at`,
    [ctx.repair, startedAt, JSON.stringify({ sources: summary, totals }), JSON.stringify(stored)],
  );
  return {
    reportId: Number(rows[0]!.report_id),
    repair: ctx.repair,
    startedAt: startedAt.toISOString(),
    finishedAt: rows[0]!.finished_at.toISOString(),
    sources: summary,
    totals,
    findings: stored,
  };
}

/** The newest report, or undefined before the first check. */
export async function latestConsistencyReport(db: Queryable): Promise<ConsistencyReport | undefined> {
  const { rows } = await db.query<{ report_id: number; repair: boolean; started_at: Date; finished_at: Date; summary: Pick<ConsistencyReport, 'sources' | 'totals'>; findings: Finding[] }>(
    'SELECT report_id, repair, started_at, finished_at, summary, findings FROM catalog.consistency_reports ORDER BY finished_at DESC, report_id DESC LIMIT 1',
  );
  const row = rows[0];
  return row && {
    reportId: Number(row.report_id),
    repair: row.repair,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
    sources: row.summary.sources,
    totals: row.summary.totals,
    findings: row.findings,
  };
}
