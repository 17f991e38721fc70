// Every coded error of the service, defined once. Codes are stable: clients may store them.
// Each maps to an RFC 9457 problem type (the last segment of the problem `type` URI).
import createError from '@fastify/error'

export interface ProblemKind {
  /** Last segment of the problem type URI. */
  type: string
  title: string
  status: number
}

export const PROBLEMS = {
  validation: { type: 'validation', title: 'Invalid request', status: 400 },
  malformedJson: { type: 'malformed-json', title: 'Malformed JSON body', status: 400 },
  dateOutOfRange: { type: 'date-out-of-range', title: 'Date outside the thresholds on record', status: 400 },
  unauthorized: { type: 'unauthorized', title: 'Missing or unknown API key', status: 401 },
  forbidden: { type: 'forbidden', title: 'Forbidden', status: 403 },
  notFound: { type: 'not-found', title: 'Not found', status: 404 },
  badHttp: { type: 'bad-http-request', title: 'Malformed HTTP request', status: 400 },
  requestTimeout: { type: 'request-timeout', title: 'Request not received in time', status: 408 },
  procedureNotFound: { type: 'procedure-not-found', title: 'Unknown procedure id', status: 404 },
  methodNotAllowed: { type: 'method-not-allowed', title: 'Method not allowed', status: 405 },
  bodyTooLarge: { type: 'body-too-large', title: 'Request body too large', status: 413 },
  unsupportedMediaType: { type: 'unsupported-media-type', title: 'Unsupported media type', status: 415 },
  rateLimited: { type: 'rate-limited', title: 'Too many requests', status: 429 },
  internal: { type: 'internal', title: 'Internal server error', status: 500 },
  overloaded: { type: 'overloaded', title: 'Service overloaded', status: 503 },
  shuttingDown: { type: 'shutting-down', title: 'Service shutting down', status: 503 }
} as const satisfies Record<string, ProblemKind>

export type ProblemKey = keyof typeof PROBLEMS

export const ProcedureNotFoundError = createError<[string]>(
  'PRA_ERR_PROCEDURE_NOT_FOUND',
  'No procedure has the id "%s"; GET /v1/procedures lists them',
  404
)
export const DateOutOfRangeError = createError<[string, string]>(
  'PRA_ERR_DATE_OUT_OF_RANGE',
  'The date %s is before the earliest thresholds on record (%s)',
  400
)
export const RouteNotFoundError = createError<[string, string]>('PRA_ERR_ROUTE_NOT_FOUND', 'No route %s %s', 404)
export const MethodNotAllowedError = createError<[string, string, string]>(
  'PRA_ERR_METHOD_NOT_ALLOWED',
  'Method %s is not allowed on %s; allowed: %s',
  405
)

/** Which problem each coded error (ours and Fastify's) is reported as. */
export const PROBLEM_BY_CODE: Record<string, ProblemKey> = {
  PRA_ERR_PROCEDURE_NOT_FOUND: 'procedureNotFound',
  PRA_ERR_DATE_OUT_OF_RANGE: 'dateOutOfRange',
  PRA_ERR_ROUTE_NOT_FOUND: 'notFound',
  PRA_ERR_METHOD_NOT_ALLOWED: 'methodNotAllowed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformedJson',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformedJson',
  FST_ERR_CTP_BODY_TOO_LARGE: 'bodyTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation',
  FST_ERR_VALIDATION: 'validation',
  PRA_ERR_UNAUTHORIZED: 'unauthorized',
  PRA_ERR_RATE_LIMITED: 'rateLimited',
  PRA_ERR_OVERLOADED: 'overloaded',
  PRA_ERR_SHUTTING_DOWN: 'shuttingDown'
}

export const UnauthorizedError = createError<[string]>('PRA_ERR_UNAUTHORIZED', '%s', 401)
export const RateLimitedError = createError<[number, string]>('PRA_ERR_RATE_LIMITED', 'Rate limit of %d requests per window exceeded; retry after %s', 429)
export const OverloadedError = createError('PRA_ERR_OVERLOADED', 'The service is overloaded; retry after the time in Retry-After', 503)
export const ShuttingDownError = createError('PRA_ERR_SHUTTING_DOWN', 'The service is shutting down; retry after the time in Retry-After, on another instance', 503)
