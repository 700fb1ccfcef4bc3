import { parseArgs } from 'node:util';
import type { JobTypeDeclaration } from '@meridian/orchestrator';
import { openRuntime, closeRuntime } from '../runtime.ts';
import { jobService, startWorker } from '../job-engine.ts';
import type { Command } from './commands.ts';

const USAGE = 'usage: meridian submit JOB_TYPE [--param NAME=VALUE …] [--wait]   (e.g. meridian submit hello_world --param n=5 --wait)';

/**
 * `--param` values are text; a parameter the schema declares as a string keeps it as it is, any other is
 * read as JSON (`n=5`, `flag=true`, `bbox=[0,0,1,1]`), so `message=5` stays the text "5".
 */
export function parseParams(declaration: JobTypeDeclaration, pairs: string[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--param "${pair}" is not NAME=VALUE`);
    const name = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const schema = declaration.parameters.properties[name] as { type?: unknown } | undefined;
    if (schema?.type === 'string') {
      parameters[name] = raw;
      continue;
    }
    try {
      parameters[name] = JSON.parse(raw);
    } catch {
      parameters[name] = raw;
    }
  }
  return parameters;
}

export const submitCommand: Command = {
  summary: 'submit a job and print its id: meridian submit TYPE --param k=v … [--wait]',
  async run(args, { config, log }) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { param: { type: 'string', multiple: true }, wait: { type: 'boolean' } } });
    const [jobType, ...extra] = positionals;
    if (!jobType || extra.length) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const runtime = await openRuntime(config, log, { migrate: true });
    try {
      const service = jobService(runtime);
      const declaration = service.catalog.get(jobType);
      let parameters: Record<string, unknown>;
      try {
        parameters = parseParams(declaration, values.param ?? []);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
        return 2;
      }
      const { job, created } = await service.submit(jobType, parameters);
      process.stdout.write(`${job.job_id}\n`);
      process.stderr.write(created ? `submitted ${jobType}: ${job.status}\n` : `an identical job exists already: ${job.status} (meridian jobs show ${job.job_id})\n`);
      if (!values.wait) return 0;
      // The embedded database admits one process, so nothing else could run the job: run it here.
      const worker = runtime.db.kind === 'pglite' ? await startWorker(runtime, { concurrency: Math.max(1, config.workers) }) : null;
      try {
        const done = await service.waitFor(job.job_id, { pollMs: config.jobs.pollMs });
        process.stdout.write(`${JSON.stringify({ status: done.status, result: done.result, error: done.error }, null, 2)}\n`);
        return done.status === 'completed' ? 0 : 1;
      } finally {
        await worker?.stop();
      }
    } finally {
      await closeRuntime(runtime);
    }
  },
};
