import { MeridianError } from '@meridian/core';

/** A filter that parses but cannot be evaluated as written (types that do not fit the operator, ...). */
export function cql2Error(detail: string): MeridianError {
  return new MeridianError('CQL2_INVALID', detail);
}
