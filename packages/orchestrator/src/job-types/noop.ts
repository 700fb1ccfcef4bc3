import { Type } from 'typebox';
import { defineJobType } from '../job-type.ts';

/** Tasks that do nothing: measures the engine's own overhead (bench/job-engine.ts) and its round trip. */
export const noopJob = defineJobType({
  name: 'noop',
  version: 1,
  description: 'Runs `tasks` tasks that do nothing; measures the job engine itself.',
  parameters: Type.Object(
    {
      tasks: Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: 'Number of tasks' }),
      tag: Type.String({ maxLength: 200, default: '', description: 'Free text; a different tag makes a different job' }),
    },
    { additionalProperties: false },
  ),
  stages: [{ name: 'noop', taskType: 'noop', fan: 'fan_out' }],
  initialItems: (p) => Array.from({ length: p.tasks }, (_, i) => i),
});
