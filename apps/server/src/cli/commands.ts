import type { CommandContext } from './main.ts';
import { serveCommand, apiCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';
import { uploadCommand } from './upload.ts';
import { workerCommand } from './worker.ts';
import { submitCommand } from './submit.ts';
import { jobsCommand } from './jobs.ts';
import { catalogCommand } from './catalog.ts';

export interface Command {
  summary: string;
  run(args: string[], context: CommandContext): Promise<number>;
}

/** Every `meridian` command, one file each. */
export const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  api: apiCommand,
  migrate: migrateCommand,
  upload: uploadCommand,
  worker: workerCommand,
  submit: submitCommand,
  jobs: jobsCommand,
  catalog: catalogCommand,
};
