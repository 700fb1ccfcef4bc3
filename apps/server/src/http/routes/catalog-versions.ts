import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MAX_VERSION_ASSETS, MAX_VERSIONS_PER_ASSET, collectionVersions } from '@meridian/platform';
import type { Runtime } from '../../runtime.ts';
import { callerVisibility } from '../visibility.ts';
import { ApprovalState, Hex32, Timestamp, nullable } from './approvals.ts';

const Version = Type.Object({
  release_id: Hex32,
  version_id: nullable(Type.String()),
  version_ordinal: Type.Integer(),
  revision: Type.Integer(),
  previous_version_id: nullable(Type.String()),
  processing_status: Type.Enum(['pending', 'processing', 'completed', 'failed']),
  approval_state: ApprovalState,
  clearance_state: Type.Enum(['uncleared', 'ouo', 'public']),
  job_id: nullable(Type.String({ description: 'Reviewers only' })),
  reviewer: nullable(Type.String({ description: 'Reviewers only' })),
  rejection_reason: nullable(Type.String({ description: 'Reviewers only' })),
  reviewed_at: nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
  services: nullable(Type.Record(Type.String(), nullable(Type.String()), { description: 'Where the release is served: service_url, preview, viewer, tiles, stac_collection, stac_item' })),
});

const AssetVersions = Type.Object({
  asset: Type.Object({
    asset_id: Hex32, dataset_id: Type.String(), resource_id: Type.String(), data_type: Type.String(),
    release_count: Type.Integer({ description: 'Releases of this asset you may see' }),
  }),
  versions: Type.Array(Version, { description: `Newest first, at most ${MAX_VERSIONS_PER_ASSET}` }),
});

const VersionsQuery = Type.Object({
  collection_id: Type.String({ minLength: 1, maxLength: 255, description: 'STAC collection id' }),
  limit: Type.Integer({ minimum: 1, maximum: MAX_VERSION_ASSETS, default: 20, description: 'Assets per page' }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

const VersionsPage = Type.Object({
  collection_id: Type.String(),
  assets: Type.Array(AssetVersions),
  next_offset: nullable(Type.Integer()),
});

/**
 * GET /api/catalog/versions: every version of the datasets behind a STAC collection that the caller may
 * see (the UI's dataset page), for every caller: what the caller may not see is absent, never a 403.
 * `publicOnly` (the public mode) answers with approved public releases whoever asks.
 */
export const catalogVersionRoutes: FastifyPluginAsyncTypebox<{ runtime: Runtime; publicOnly: boolean }> = async (app, { runtime, publicOnly }) => {
  app.get('/api/catalog/versions', {
    schema: {
      tags: ['catalog'],
      summary: 'The versions (platform releases) of the datasets behind a STAC collection, as far as you may see them',
      querystring: VersionsQuery,
      response: { 200: VersionsPage },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return collectionVersions(runtime.db, runtime.config.publicUrl, {
      collectionId: request.query.collection_id,
      visibility: publicOnly ? 'public' : callerVisibility(request),
      limit: request.query.limit,
      offset: request.query.offset,
    });
  });
};
