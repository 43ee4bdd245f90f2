/**
 * The catalogue of stable error codes. Clients match on `code`, never on messages,
 * so a code is never renamed or reused once released. Add new codes at the end of a group.
 */
export const ERROR_CODES = {
  // 400: the request is malformed or asks for something impossible
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  BAD_TIME_RANGE: { status: 400, message: 'The time range is not valid' },
  BAD_QUERY: { status: 400, message: 'The query string cannot be parsed' },
  UNKNOWN_FIELD: { status: 400, message: 'A field is not defined on the index set' },
  BAD_INPUT_LINE: { status: 400, message: 'An input line cannot be parsed' },
  BAD_CONFIG: { status: 400, message: 'The configuration is not valid' },
  BAD_PATTERN_CONFIG: { status: 400, message: 'The clustering configuration is not valid' },
  BAD_MODEL_FILE: { status: 400, message: 'The model file cannot be loaded' },
  // 401/403: who is asking
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  BAD_TOKEN: { status: 401, message: 'The token is not valid or has expired' },
  FORBIDDEN: { status: 403, message: 'You do not have access to this resource' },
  // 404/409/413/429
  NOT_FOUND: { status: 404, message: 'The resource does not exist' },
  INDEX_SET_NOT_FOUND: { status: 404, message: 'The index set does not exist' },
  JOB_NOT_FOUND: { status: 404, message: 'The job does not exist' },
  CONFLICT: { status: 409, message: 'The resource is in a state that does not allow this' },
  ALREADY_EXISTS: { status: 409, message: 'The resource already exists' },
  STATE_CONFLICT: { status: 409, message: 'The state changed concurrently' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many concurrent requests' },
  // 5xx: our fault or a dependency's
  INTERNAL: { status: 500, message: 'Internal error' },
  DEPENDENCY_FAILED: { status: 502, message: 'A backing service failed' },
  TIMEOUT: { status: 504, message: 'The operation timed out' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
