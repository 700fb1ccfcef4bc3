import { Type } from 'typebox';
import { PLATFORM_EVENT_TYPES } from '@meridian/platform';

/**
 * OpenAPI schemas of /api/platform/*. Bodies are validated by the platform package against the contract
 * (exact messages, unknown fields named with the valid ones), so these schemas describe and allow
 * additional properties rather than rejecting them first.
 */
const open = { additionalProperties: true } as const;

export const SubmitBody = Type.Object({
  dataset_id: Type.String({ description: 'Letters, digits, ".", "_", "-"; first alphanumeric; ≤ 255' }),
  resource_id: Type.String({ description: 'Same rules as dataset_id' }),
  version_id: Type.Optional(Type.String({ description: '≤ 50 characters' })),
  previous_version_id: Type.Optional(Type.String({ description: 'Required for a new version once one is approved: the latest approved version_id' })),
  container_name: Type.String({ description: 'Bronze-zone container holding the upload (3–63 of [a-z0-9-])' }),
  file_name: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Blob name, or several GeoTIFFs for a raster collection' })),
  source_url: Type.Optional(Type.String({ description: 'Zarr/NetCDF location' })),
  title: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  access_level: Type.Optional(Type.String({ description: "public, or ouo / 'official use only' (default ouo)" })),
  processing_options: Type.Optional(Type.Object({}, { ...open, description: 'Typed per data type; unknown keys are a 400' })),
  client_id: Type.Optional(Type.String({ description: 'Default ddh' })),
  callback_url: Type.Optional(Type.String({ description: 'Receives signed webhook events for this submission' })),
}, { ...open, description: 'Unknown fields are rejected with 400 naming the field and listing the valid ones.' });

export const DryRunQuery = Type.Object({ dry_run: Type.Optional(Type.Boolean({ description: 'Validate only; nothing is written' })) });

const identifying = {
  release_id: Type.Optional(Type.String()),
  job_id: Type.Optional(Type.String()),
  request_id: Type.Optional(Type.String()),
  asset_id: Type.Optional(Type.String()),
  dataset_id: Type.Optional(Type.String()),
  resource_id: Type.Optional(Type.String()),
  version_id: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
};

export const ApproveBody = Type.Object({
  ...identifying,
  reviewer: Type.String({ maxLength: 200 }),
  clearance_state: Type.Optional(Type.String({ description: 'ouo or public (alias access_level)' })),
  access_level: Type.Optional(Type.String()),
  notes: Type.Optional(Type.String()),
  dry_run: Type.Optional(Type.Boolean()),
}, open);

export const RejectBody = Type.Object({ ...identifying, reviewer: Type.String({ maxLength: 200 }), reason: Type.String(), dry_run: Type.Optional(Type.Boolean()) }, open);

export const UnpublishBody = Type.Object({ ...identifying, dry_run: Type.Optional(Type.Boolean()), force_approved: Type.Optional(Type.Boolean()), reviewer: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) }, open);

export const ResubmitBody = Type.Object({ ...identifying, force: Type.Optional(Type.Boolean()) }, open);

/** The contract's bodies carry many keys per endpoint (see each description); all pass through unchanged. */
export const PlatformOk = Type.Unsafe<Record<string, unknown>>({
  type: 'object', properties: { success: { type: 'boolean' } }, required: ['success'], additionalProperties: true,
  description: 'The contract\'s success body (see the endpoint description)',
});
export const PlatformError = Type.Unsafe<Record<string, unknown>>({
  type: 'object', properties: { success: { const: false }, error: { type: 'string' }, error_type: { type: 'string' } },
  required: ['success', 'error', 'error_type'], additionalProperties: true,
});

export const WebhookBody = Type.Object({
  url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
  events: Type.Optional(Type.Array(Type.Enum(PLATFORM_EVENT_TYPES), { description: 'Empty or absent: every event' })),
  secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200, description: 'HMAC key; generated when absent (returned once)' })),
}, { additionalProperties: false });

export const errorResponses = {
  400: PlatformError, 401: PlatformError, 403: PlatformError, 404: PlatformError, 409: PlatformError, 500: PlatformError, 501: PlatformError,
};
