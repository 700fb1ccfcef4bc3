import { loadProcessConfig, type Config } from '@meridian/config';
import { isMeridianError, redact } from '@meridian/core';
import { createLogger, type Logger } from '../logger.ts';
import { COMMANDS } from './commands.ts';

export interface CommandContext {
  config: Config;
  log: Logger;
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: meridian <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nConfiguration comes from MERIDIAN_* environment variables (see README.md).`;
}

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`meridian: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadProcessConfig();
  } catch (error) {
    process.stderr.write(`meridian: ${redact((error as Error).message)}\n`);
    return 2;
  }
  const log = createLogger(config.logLevel);
  try {
    return await command.run(rest, { config, log });
  } catch (error) {
    if (isMeridianError(error)) {
      log.fatal({ code: error.code }, error.message);
      process.stderr.write(`meridian ${name}: ${error.code}: ${redact(error.message)}\n  remedy: ${error.spec.remedy}\n`);
      return 1;
    }
    log.fatal({ err: error }, 'command failed');
    process.stderr.write(`meridian ${name}: ${redact((error as Error).message ?? String(error))}\n`);
    return 1;
  }
}
