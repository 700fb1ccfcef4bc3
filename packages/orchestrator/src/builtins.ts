import type { JobTypeDeclaration } from './job-type.ts';
import type { TaskHandler } from './task-handler.ts';
import { helloWorldJob } from './job-types/hello-world.ts';
import { noopJob } from './job-types/noop.ts';
import { helloWorldGreeting, helloWorldReply } from './handlers/hello-world.ts';
import { noopHandler } from './handlers/noop.ts';

/** The engine's own job types (for testing and measuring it); ETL job types live in their packages. */
export const BUILTIN_JOB_TYPES: readonly JobTypeDeclaration[] = [helloWorldJob, noopJob];

export const BUILTIN_HANDLERS: readonly TaskHandler[] = [helloWorldGreeting, helloWorldReply, noopHandler];
