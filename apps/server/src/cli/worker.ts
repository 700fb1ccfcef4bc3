import { parseArgs } from 'node:util';
import { openRuntime, closeRuntime } from '../runtime.ts';
import { startWorker } from '../job-engine.ts';
import { shutdownSignal } from './serve.ts';
import { wholeNumber } from './args.ts';
import type { Command } from './commands.ts';

const USAGE = 'usage: meridian worker [--task-types PATTERN] [--concurrency N]   (PATTERN: comma-separated globs, e.g. "raster_*,vector_*")';

export const workerCommand: Command = {
  summary: 'run tasks from the queue until SIGTERM [--task-types PATTERN] [--concurrency N]',
  async run(args, { config, log }) {
    const { values } = parseArgs({ args, options: { 'task-types': { type: 'string' }, concurrency: { type: 'string' } } });
    const concurrency = values.concurrency === undefined ? Math.max(1, config.workers) : wholeNumber(values.concurrency, 1, 256);
    if (concurrency === null) {
      process.stderr.write(`--concurrency must be a whole number from 1 to 256\n${USAGE}\n`);
      return 2;
    }
    const runtime = await openRuntime(config, log, { migrate: true });
    try {
      const worker = await startWorker(runtime, { concurrency, ...(values['task-types'] ? { taskTypes: values['task-types'] } : {}) });
      process.stdout.write(`worker ${worker.id} running ${worker.taskTypes.join(', ')} (concurrency ${concurrency})\n`);
      const signal = await shutdownSignal(log);
      log.info({ signal, busy: worker.busy }, 'stopping: no more claims; running tasks checkpoint or finish');
      await worker.stop();
      return 0;
    } finally {
      await closeRuntime(runtime);
    }
  },
};
