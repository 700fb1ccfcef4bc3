import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Azurite's well-known development account (published in Microsoft's docs; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  serviceUrl: string;
  account: string;
  accountKey: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 20_000;
// Another process can take the free port between our probe and Azurite's bind; then we try another.
const START_ATTEMPTS = 3;

/**
 * Starts the Azurite blob emulator as a child process on a free loopback port with its data in a new
 * temporary directory. Start it once per test file (it takes about a second) and stop it in `after`.
 * Telemetry is switched off: tests must not touch the network.
 */
export async function startAzurite(): Promise<Azurite> {
  const location = await mkdtemp(join(tmpdir(), 'meridian-azurite-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const child = spawnAzurite(port, location);
    try {
      await waitForListening(child, port);
    } catch (error) {
      lastError = error;
      await stopChild(child);
      continue;
    }
    return handle(child, port, location);
  }
  await rm(location, { recursive: true, force: true });
  throw new Error(`Azurite did not start: ${String(lastError)}`, { cause: lastError });
}

function spawnAzurite(port: number, location: string): ChildProcess & { output: () => string } {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  const args = [
    main,
    '--blobHost', HOST,
    '--blobPort', String(port),
    '--location', location,
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
    // Account from the first path segment always, so http://127.0.0.1:PORT/devstoreaccount1 works as is.
    '--disableProductStyleUrl',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    // Only the tail matters, for the error message when start-up fails.
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return Object.assign(child, { output: () => output });
}

function handle(child: ChildProcess, port: number, location: string): Azurite {
  // If the test process exits without calling stop(), the emulator must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  return {
    serviceUrl: `http://${HOST}:${port}/${AZURITE_ACCOUNT}`,
    account: AZURITE_ACCOUNT,
    accountKey: AZURITE_ACCOUNT_KEY,
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', killOnExit);
        await stopChild(child);
        await rm(location, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free TCP port');
  return address.port;
}

async function waitForListening(child: ChildProcess & { output: () => string }, port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Azurite exited with ${child.exitCode ?? child.signalCode}: ${child.output()}`);
    }
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Azurite did not listen on port ${port} within ${START_TIMEOUT_MS} ms: ${child.output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
