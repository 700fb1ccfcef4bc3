/**
 * GET /consistency: the newest report of the catalog consistency check (job catalog_consistency_check or
 * `meridian catalog check`). It names unpublished tables and blobs, so only reviewers see it; anyone else
 * gets the same 404 as an unknown path.
 */
import { Type } from 'typebox';
import { MeridianError } from '@meridian/core';
import { latestConsistencyReport } from '@meridian/stac';
import { JSON_TYPE, sendJson } from './stac-links.ts';
import { StacException } from './stac-schemas.ts';
import type { StacModule } from './stac-module.ts';

const ReportDocument = Type.Unsafe<string>(Type.Object({
  report: Type.Union([
    Type.Object({
      reportId: Type.Integer(),
      repair: Type.Boolean(),
      startedAt: Type.String({ format: 'date-time' }),
      finishedAt: Type.String({ format: 'date-time' }),
      sources: Type.Object({}, { additionalProperties: true, description: 'Per source: checked, findings, repaired (or skipped)' }),
      totals: Type.Object({ findings: Type.Integer(), repaired: Type.Integer() }),
      findings: Type.Array(Type.Object({}, { additionalProperties: true, description: 'source, kind, subject, detail, repaired' })),
    }),
    Type.Null(),
  ], { description: 'The newest report; null before the first check' }),
}));

export const stacConsistencyModule: StacModule = {
  conformance: [],
  routes: async (app, { runtime, visibility }) => {
    app.get('/consistency', {
      schema: {
        tags: ['stac'],
        summary: 'The newest catalog consistency report (reviewers only)',
        response: { 200: ReportDocument, 404: StacException },
      },
    }, async (request, reply) => {
      if (visibility(request) !== 'reviewer') throw new MeridianError('NOT_FOUND', `no resource at ${request.url.split('?')[0]}`);
      return sendJson(reply, JSON_TYPE, { report: (await latestConsistencyReport(runtime.db)) ?? null });
    });
  },
};
