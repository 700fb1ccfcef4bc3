import { MeridianError, isMeridianError, redact, type ErrorCode } from '@meridian/core';

/** A task or job error as stored in the database and shown to users. */
export interface StoredError {
  code: ErrorCode;
  message: string;
  remedy: string;
  user_fixable: boolean;
}

export interface ClassifiedError {
  error: StoredError;
  /** True when another attempt would fail the same way. */
  permanent: boolean;
}

/**
 * Decides whether an error is worth retrying. User-fixable catalog errors (bad parameters, missing or
 * broken input) will fail the same way again, so they are permanent; everything else (storage or
 * database trouble, a crashed tool, an unexpected exception) may pass, so it is retried.
 */
export function classifyError(error: unknown): ClassifiedError {
  if (isMeridianError(error)) return { error: storedError(error), permanent: error.spec.userFixable };
  const message = redact(error instanceof Error ? error.message : String(error));
  return { error: storedError(new MeridianError('TASK_FAILED', message)), permanent: false };
}

export function storedError(error: MeridianError): StoredError {
  return { code: error.code, message: redact(error.message), remedy: error.spec.remedy, user_fixable: error.spec.userFixable };
}
