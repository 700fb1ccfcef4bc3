import pino, { type Logger } from 'pino';
import { redact, redactDeep } from '@meridian/core';
import type { LogLevel } from '@meridian/config';

export type { Logger };

/**
 * Structured JSON logs. Every line passes through the secret redaction, so a password in a URL or a
 * registered key never reaches a log, whatever logged it.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'meridian' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      // Errors are already turned into redacted plain objects by the formatter above.
      serializers: { err: (error: unknown) => error },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
