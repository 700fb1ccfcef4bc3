import { Type, type Static } from 'typebox';
import { defineJobType } from '@meridian/orchestrator';

export const EXPORT_TASK_TYPE = 'platform_export_public';
/** The external zone: public copies of COGs go to this container, public tables to this schema. */
export const EXTERNAL_CONTAINER = 'external-public';
export const EXTERNAL_SCHEMA = 'external';

export const exportPublicParameters = Type.Object(
  {
    release_id: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'The approved public release' }),
    action: Type.Union([Type.Literal('export'), Type.Literal('withdraw')], { description: 'export copies into the external zone; withdraw removes the copies' }),
  },
  { additionalProperties: false },
);
export type ExportPublicParameters = Static<typeof exportPublicParameters>;

/** Copies an approved public release into the external zone (or removes the copies); scheduled by the platform. */
export const exportPublicJob = defineJobType({
  name: 'export_public',
  version: 1,
  description: 'Copies an approved public release to the external zone (COGs to external-public, tables to schema external), or withdraws the copies after a revocation.',
  parameters: exportPublicParameters,
  stages: [{ name: 'copy', taskType: EXPORT_TASK_TYPE, fan: 'single' }],
});
