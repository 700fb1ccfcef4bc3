import { parseArgs } from 'node:util';
import { buildApp } from '../http/app.ts';
import { openRuntime, closeRuntime } from '../runtime.ts';
import { parseExposureMode, type ExposureMode } from '../modes.ts';
import { jobHealthContributors, startWorker } from '../job-engine.ts';
import type { Command } from './commands.ts';
import type { CommandContext } from './main.ts';

const SHUTDOWN_GRACE_MS = 30_000;

/** Resolves on the first SIGTERM/SIGINT; a second signal forces the exit. */
export function shutdownSignal(log: CommandContext['log']): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: string) => {
      if (received) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function runServer(args: string[], { config, log }: CommandContext, withWorkers: boolean): Promise<number> {
  const { values } = parseArgs({ args, options: { mode: { type: 'string' } } });
  const mode: ExposureMode = values.mode ? parseExposureMode(values.mode) : 'full';
  const started = performance.now();
  if (config.auth === 'off') {
    log.warn('MERIDIAN_AUTH=off: every caller is treated as an administrator. Set MERIDIAN_AUTH=oidc for anything but local use.');
  }
  const runtime = await openRuntime(config, log, { migrate: true });
  const app = await buildApp({ runtime, mode, healthContributors: jobHealthContributors(runtime) });
  const address = await app.listen({ host: config.host, port: config.port });
  const worker = withWorkers && config.workers > 0 ? await startWorker(runtime, { concurrency: config.workers }) : null;
  const url = config.port === 0 ? address : config.publicUrl;
  log.info({ url, mode, database: runtime.db.kind, storage: runtime.store.kind, workers: withWorkers ? config.workers : 0, startup_ms: Math.round(performance.now() - started) }, 'Meridian is ready');
  process.stdout.write(`Meridian is ready at ${url}/ (API docs: ${url}/api/docs)\n`);

  const signal = await shutdownSignal(log);
  log.info({ signal }, 'shutting down: draining requests');
  const timer = setTimeout(() => {
    log.error('shutdown grace period over: exiting');
    process.exit(1);
  }, Math.max(SHUTDOWN_GRACE_MS, config.jobs.shutdownGraceMs + 10_000));
  timer.unref();
  // Node closes idle keep-alive connections only once, when close() starts; a connection whose
  // response finishes during the drain would keep the server open until the client hangs up.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 200);
  await app.close();
  clearInterval(sweep);
  // Running tasks get the worker's grace period to finish or checkpoint before the database closes.
  await worker?.stop();
  await closeRuntime(runtime);
  log.info('stopped');
  return 0;
}

export const serveCommand: Command = {
  summary: 'run the API and in-process workers (the embedded default) [--mode gateway|public]',
  run: (args, context) => runServer(args, context, true),
};

export const apiCommand: Command = {
  summary: 'run the API only, for scaled deployments [--mode gateway|public]',
  run: (args, context) => runServer(args, context, false),
};
