/**
 * The logging the engine needs: the subset of pino's interface it calls, so the engine does not depend on
 * a logging library and the server's pino logger fits as it is.
 */
export interface EngineLogger {
  child(bindings: Record<string, unknown>): EngineLogger;
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}
