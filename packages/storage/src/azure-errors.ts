import { MeridianError } from '@meridian/core';

/**
 * Azure SDK errors (RestError) seen through their shape rather than `instanceof`, which fails when npm
 * installs more than one copy of @azure/core-rest-pipeline.
 */
interface RestErrorShape {
  name: 'RestError';
  message: string;
  statusCode?: number;
  code?: string;
}

function asRestError(error: unknown): RestErrorShape | null {
  return error instanceof Error && error.name === 'RestError' ? (error as unknown as RestErrorShape) : null;
}

export function statusOf(error: unknown): number | undefined {
  return asRestError(error)?.statusCode;
}

// No status means the request never got an answer (refused, reset, DNS); 408/429/5xx are the service's
// way of saying "not now"; 401/403 mean our credentials are wrong. None of these is the caller's fault.
function isUnavailable(status: number | undefined): boolean {
  return status === undefined || status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;
}

/**
 * Catalog errors for the failures a caller can act on; everything else (including 404, whose meaning
 * depends on the operation) is returned unchanged for the adapter to decide.
 */
export function fromAzureError(error: unknown): unknown {
  const rest = asRestError(error);
  if (rest === null) return error;
  if (rest.statusCode === 413) {
    return new MeridianError('PAYLOAD_TOO_LARGE', 'Azure Blob storage refused the upload as too large.', {}, { cause: error });
  }
  if (isUnavailable(rest.statusCode)) {
    const what = rest.statusCode === undefined ? rest.code ?? rest.message : `HTTP ${rest.statusCode} ${rest.code ?? ''}`.trim();
    return new MeridianError('STORAGE_UNAVAILABLE', `Azure Blob storage failed the request (${what}).`, {}, { cause: error });
  }
  return error;
}
