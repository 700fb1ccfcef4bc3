import { ERROR_CATALOG, type ErrorCode, type ErrorSpec } from './error-catalog.ts';

/**
 * An error that carries a catalog code. `detail` says what exactly was wrong with this request
 * (it replaces the catalog's generic message); `extra` holds machine-readable context for the caller.
 */
export class MeridianError extends Error {
  readonly code: ErrorCode;
  readonly spec: ErrorSpec;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    const spec = ERROR_CATALOG[code];
    super(detail ?? spec.message, options);
    this.name = 'MeridianError';
    this.code = code;
    this.spec = spec;
    this.extra = extra;
  }

  get status(): number {
    return this.spec.status;
  }

  /** The body every non-OGC, non-platform endpoint returns for this error. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      remedy: this.spec.remedy,
      category: this.spec.category,
      user_fixable: this.spec.userFixable,
      ...this.extra,
    };
  }
}

export function isMeridianError(value: unknown): value is MeridianError {
  return value instanceof MeridianError;
}
