/**
 * The one error catalog. Every error Meridian returns to a caller has a code listed here, with the HTTP
 * status it maps to, a message a person can read, and a remedy that says what to do about it.
 * Later capabilities add their codes here, never elsewhere.
 */
export type ErrorCategory =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'auth'
  | 'data'
  | 'storage'
  | 'database'
  | 'configuration'
  | 'internal';

export interface ErrorSpec {
  status: number;
  category: ErrorCategory;
  message: string;
  remedy: string;
  /** True when the person who submitted the request can fix it by changing the input. */
  userFixable: boolean;
}

function spec(status: number, category: ErrorCategory, userFixable: boolean, message: string, remedy: string): ErrorSpec {
  return { status, category, userFixable, message, remedy };
}

export const ERROR_CATALOG = {
  VALIDATION_ERROR: spec(400, 'validation', true, 'The request is not valid.', 'Correct the named field and send the request again.'),
  UNKNOWN_PARAMETER: spec(400, 'validation', true, 'The request names a parameter this endpoint does not accept.', 'Remove the parameter; the message lists the accepted ones.'),
  INVALID_CONTAINER_NAME: spec(400, 'validation', true, 'The container name is not valid.', 'Use 3 to 63 characters of lower-case letters, digits and "-", starting with a zone prefix (bronze-, silver-, external-).'),
  INVALID_BLOB_KEY: spec(400, 'validation', true, 'The blob key is not valid.', 'Use a relative key of at most 1024 characters without "..", empty segments, backslashes or control characters.'),
  INVALID_IDENTIFIER: spec(400, 'validation', true, 'The identifier is not valid.', 'Use letters, digits, ".", "_" and "-", starting with a letter or digit.'),
  CQL2_INVALID: spec(400, 'validation', true, 'The CQL2 filter is not valid.', 'Correct the filter at the reported position; the syntax is OGC CQL2 (text or JSON).'),
  INVALID_RANGE: spec(416, 'validation', true, 'The requested byte range cannot be satisfied.', 'Ask for a range inside the object; its size is in the Content-Range header.'),
  PAYLOAD_TOO_LARGE: spec(413, 'validation', true, 'The upload is larger than the configured limit.', 'Split the data or ask an administrator to raise MERIDIAN_MAX_UPLOAD_BYTES.'),
  NOT_FOUND: spec(404, 'not_found', true, 'Nothing was found at this address.', 'Check the path; the API map is at /api/docs.'),
  BLOB_NOT_FOUND: spec(404, 'not_found', true, 'The blob does not exist.', 'Check the container and key, or list the container to see what it holds.'),
  BLOB_KEY_CONFLICT: spec(409, 'conflict', true, 'The blob key clashes with an existing blob or folder.', 'On file storage a key cannot be both a blob and a folder ("a" and "a/b"); choose another key or delete the other blob first.'),
  FILE_NOT_FOUND: spec(404, 'not_found', true, 'The input file does not exist in storage.', 'Upload the file first (PUT /api/storage/{container}/{key}) and check the container and blob names.'),
  JOB_TYPE_UNKNOWN: spec(404, 'not_found', true, 'There is no job type with this name.', 'Use one of the job types listed in the message (GET /api/jobs/types lists them all).'),
  JOB_PARAMETERS_INVALID: spec(400, 'validation', true, 'A job parameter is not valid.', 'Correct the named parameter; the job type\'s parameter schema is in the API docs.'),
  JOB_NOT_FOUND: spec(404, 'not_found', true, 'The job does not exist.', 'Check the job id; GET /api/jobs lists the jobs.'),
  JOB_IN_PROGRESS: spec(409, 'conflict', true, 'The job is still queued or running.', 'Wait for it to finish, or cancel it first (POST /api/jobs/{job_id}/cancel).'),
  JOB_ALREADY_COMPLETED: spec(409, 'conflict', true, 'The job has already ended.', 'Nothing to cancel; resubmit it (POST /api/jobs/{job_id}/resubmit) to run it again.'),
  JOB_CANCELLED: spec(409, 'conflict', true, 'The job was cancelled.', 'Resubmit the job (POST /api/jobs/{job_id}/resubmit) to run it again.'),
  JOB_STUCK: spec(500, 'internal', false, 'The job made no progress within the configured limit and was stopped.', 'Check that a worker serving its task types is running (GET /api/health), then resubmit the job.'),
  TASK_FAILED: spec(500, 'internal', false, 'A task of the job failed after all its retries.', 'Read the task error in GET /api/jobs/{job_id}/tasks; resubmit once the cause is fixed.'),
  TASK_TIMEOUT: spec(504, 'internal', false, 'A task ran longer than its time limit.', 'Resubmit with smaller input, or ask an operator whether the workers are overloaded.'),
  TASK_LEASE_EXPIRED: spec(500, 'internal', false, 'The worker running a task stopped responding too many times.', 'The task may crash its worker (memory, a native tool); check the worker logs before resubmitting.'),
  HELLO_WORLD_INJECTED_FAILURE: spec(422, 'data', true, 'A hello_world task failed on purpose (failure_rate).', 'Submit hello_world with failure_rate 0 to see it succeed.'),
  CONFIG_INVALID: spec(500, 'configuration', false, 'The configuration is not valid.', 'Fix the named environment variable and restart.'),
  DATABASE_UNAVAILABLE: spec(503, 'database', false, 'The database cannot be reached.', 'Check that PostgreSQL is running and MERIDIAN_DATABASE_URL is right.'),
  DATABASE_LOCKED: spec(503, 'database', false, 'The embedded database is in use by another Meridian process.', 'Stop the other process, or give this one its own MERIDIAN_HOME.'),
  MIGRATION_CHECKSUM_MISMATCH: spec(500, 'database', false, 'A database migration was edited after it had been applied.', 'Restore the original migration file and add the change as a new numbered migration.'),
  MIGRATION_FAILED: spec(500, 'database', false, 'A database migration failed.', 'Read the logged cause, fix the database or the migration, and run `meridian migrate` again.'),
  POSTGIS_MISSING: spec(500, 'database', false, 'PostGIS is not installed on the database server.', 'Install PostGIS (Debian: apt-get install postgresql-15-postgis-3) and restart.'),
  STORAGE_UNAVAILABLE: spec(503, 'storage', false, 'The blob store cannot be reached or written.', 'Check MERIDIAN_STORAGE_URL, its credentials and free disk space.'),
  SERVICE_UNAVAILABLE: spec(503, 'internal', false, 'The service is not ready.', 'Retry in a few seconds; /api/readyz names the failing check.'),
  INTERNAL_ERROR: spec(500, 'internal', false, 'An internal error occurred.', 'Retry; if it keeps failing, report the request id to the operators.'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}
