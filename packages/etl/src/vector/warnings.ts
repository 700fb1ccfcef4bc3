/**
 * What a successful load reports about changes it made to the data. Warnings are not errors (the job
 * completes), so they are not in the error catalog; their codes are listed here and in the job result.
 */
export type VectorWarningCode =
  | 'MULTIPLE_LAYERS'
  | 'COLUMNS_RENAMED'
  | 'Z_VALUES_DROPPED'
  | 'NULL_GEOMETRY_DROPPED'
  | 'GEOMETRY_REPAIRED'
  | 'GEOMETRY_PROMOTED_TO_MULTI'
  | 'GEOMETRY_TYPES_SPLIT'
  | 'COLLECTION_PARTS_DROPPED';

export interface VectorWarning {
  code: VectorWarningCode;
  message: string;
  /** How many features it concerns, when it concerns features. */
  count?: number;
}

export function warning(code: VectorWarningCode, message: string, count?: number): VectorWarning {
  return count === undefined ? { code, message } : { code, message, count };
}
