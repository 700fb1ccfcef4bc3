import { Type } from 'typebox';
import { defineJobType } from '../job-type.ts';

/**
 * The engine's own test job: stage 1 fans out `n` greeting tasks, stage 2 fans them in to one reply that
 * lists them all. `failure_rate` makes greetings fail (permanently, with a catalog error) and
 * `duration_ms` makes each greeting work that long, honouring shutdown and cancellation.
 */
export const helloWorldJob = defineJobType({
  name: 'hello_world',
  version: 1,
  description: 'Fans out n greetings and fans them in to one reply; exercises the job engine.',
  parameters: Type.Object(
    {
      n: Type.Integer({ minimum: 1, maximum: 1000, default: 3, description: 'Number of greeting tasks' }),
      message: Type.String({ minLength: 1, maxLength: 500, default: 'Hello', description: 'The greeting' }),
      failure_rate: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Probability that a greeting task fails' }),
      duration_ms: Type.Integer({ minimum: 0, maximum: 60_000, default: 0, description: 'Time each greeting task spends working' }),
    },
    { additionalProperties: false },
  ),
  stages: [
    { name: 'greet', taskType: 'hello_world_greeting', fan: 'fan_out' },
    { name: 'reply', taskType: 'hello_world_reply', fan: 'fan_in' },
  ],
  initialItems: (p) => Array.from({ length: p.n }, (_, i) => i + 1),
});
