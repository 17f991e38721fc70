// Every error the service can answer with, in one table: its stable code, HTTP status, RFC 9457
// problem type (the last segment of the problem `type` URI), title, and when it happens. The
// error classes, the problem types, the documented OpenAPI responses and the error
// table of docs/api.md are all derived from it (test/errors.test.ts keeps that table in step and pins the codes).
// Codes are stable: clients may store them. A few are Fastify's own (FST_ERR_*): they were
// answered before this table existed, so they stay.
import createError, { type FastifyErrorConstructor } from '@fastify/error'
import type { Refused } from './engine/decision.js'
import type { FieldError } from './validation.js'

export interface ErrorDefinition {
  status: number
  /** Last segment of the problem type URI. */
  type: string
  title: string
  /** When it happens, for the documentation. */
  when: string
  /** The message template (util.format) of the error class, for the errors the service throws. */
  message?: string
  /** Only these answer it (the static files of /docs, or readiness); not documented on the /v1 operations. */
  answeredBy?: 'docs' | 'readiness'
  /** The status is the one the component reported (any 4xx); `status` is the documented default. */
  statusVaries?: boolean
}

export const ERRORS = {
  PRA_ERR_VALIDATION: {
    status: 400,
    type: 'validation',
    title: 'Invalid request',
    when:
      'The body or the query fails the schema: the fields at fault are listed with their JSON pointers (up ' +
      'to 20; moreErrors counts the rest).'
  },
  PRA_ERR_MALFORMED_JSON: {
    status: 400,
    type: 'malformed-json',
    title: 'Malformed JSON body',
    when: 'The body is not valid JSON, or it uses a "__proto__" or "constructor" key.'
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    type: 'malformed-json',
    title: 'Malformed JSON body',
    when: 'The body is not valid JSON (as Fastify reports it).'
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    type: 'malformed-json',
    title: 'Malformed JSON body',
    when: 'Content-Type is application/json but the body is empty.'
  },
  PRA_ERR_INVALID_UTF8: {
    status: 400,
    type: 'invalid-utf8',
    title: 'Body is not valid UTF-8',
    when: 'The body contains bytes that are not valid UTF-8 (they are never silently replaced).',
    message: 'The body is not valid UTF-8 (RFC 8259 requires JSON exchanged between systems to be UTF-8).'
  },
  PRA_ERR_DATE_OUT_OF_RANGE: {
    status: 400,
    type: 'date-out-of-range',
    title: 'Date outside the thresholds on record',
    when: 'GET /v1/thresholds with a date before the earliest thresholds on record.',
    message: 'The date %s is before the earliest thresholds on record (%s)'
  },
  PRA_ERR_BAD_URL: {
    status: 400,
    type: 'bad-url',
    title: 'Malformed URL',
    when: 'The path has a malformed percent-encoding (such as %E0%A4%A).'
  },
  PRA_ERR_BAD_REQUEST: {
    status: 400,
    type: 'bad-request',
    title: 'Bad request',
    when: 'A request the service cannot read for another reason (for example a malformed static file path under /docs).',
    answeredBy: 'docs'
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    type: 'bad-http-request',
    title: 'Malformed HTTP request',
    when: 'Content-Length does not match the body received.'
  },
  PRA_ERR_BAD_HTTP: {
    status: 400,
    type: 'bad-http-request',
    title: 'Malformed HTTP request',
    when: 'The HTTP request itself cannot be parsed.'
  },
  PRA_ERR_UNAUTHORIZED: {
    status: 401,
    type: 'unauthorized',
    title: 'Missing or unknown API key',
    when: 'API keys are configured and the request to /v1 carries none, or one that is not recognised (see WWW-Authenticate).',
    message: '%s'
  },
  PRA_ERR_FORBIDDEN: {
    status: 403,
    type: 'forbidden',
    title: 'Forbidden',
    when: 'Reserved: no API key is restricted to part of the API today; also a refused static file under /docs.'
  },
  PRA_ERR_QUOTA_EXCEEDED: {
    status: 403,
    type: 'quota-exceeded',
    title: 'Record quota exceeded',
    when:
      "POST /v1/decisions when the client's chain already holds DECISION_QUOTA entries; nothing was written. Records are " +
      'kept (they cannot be removed without breaking the chain): ask the operator to raise the quota.',
    message:
      'This client already holds its quota of %d decision records; nothing was written. Ask the service\u2019s operator to raise the quota'
  },
  PRA_ERR_ROUTE_NOT_FOUND: {
    status: 404,
    type: 'not-found',
    title: 'Not found',
    when: 'No route has this path.',
    message: 'No route %s %s'
  },
  PRA_ERR_PROCEDURE_NOT_FOUND: {
    status: 404,
    type: 'procedure-not-found',
    title: 'Unknown procedure id',
    when: 'GET /v1/procedures/{id} with an id that is not in the catalogue.',
    message: 'No procedure has the id "%s"; GET /v1/procedures lists them'
  },
  PRA_ERR_DECISION_NOT_FOUND: {
    status: 404,
    type: 'decision-not-found',
    title: 'Unknown decision record',
    when: 'GET /v1/decisions/{id} with an id that is malformed, unknown, or belongs to another API client.',
    message: 'No decision record "%s" for this client; GET /v1/decisions lists yours'
  },
  PRA_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'method-not-allowed',
    title: 'Method not allowed',
    when: 'The path exists but not with this method (see the Allow header).',
    message: 'Method %s is not allowed on %s; allowed: %s'
  },
  PRA_ERR_REQUEST_TIMEOUT: {
    status: 408,
    type: 'request-timeout',
    title: 'Request not received in time',
    when: 'The whole request did not arrive within REQUEST_TIMEOUT_MS.'
  },
  PRA_ERR_PRECONDITION_FAILED: {
    status: 412,
    type: 'precondition-failed',
    title: 'Precondition failed',
    when: 'A conditional request for a static file under /docs whose condition does not hold.',
    answeredBy: 'docs'
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    type: 'body-too-large',
    title: 'Request body too large',
    when: 'The body is larger than the endpoint accepts (BODY_LIMIT_BYTES, or BATCH_BODY_LIMIT_BYTES for a batch).'
  },
  PRA_ERR_URI_TOO_LONG: {
    status: 414,
    type: 'uri-too-long',
    title: 'URI too long',
    when: 'The request target is longer than MAX_URL_LENGTH, or a path parameter is longer than 100 characters.',
    message: 'The request target is longer than the %d characters this service accepts.'
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported media type',
    when: 'The body is not application/json.'
  },
  PRA_ERR_UNSUPPORTED_CHARSET: {
    status: 415,
    type: 'unsupported-charset',
    title: 'Unsupported charset',
    when: 'Content-Type names a charset other than UTF-8.',
    message: 'The charset "%s" is not accepted: send the JSON body as UTF-8.'
  },
  PRA_ERR_UNSUPPORTED_ENCODING: {
    status: 415,
    type: 'unsupported-content-encoding',
    title: 'Unsupported content encoding',
    when: 'The body has a Content-Encoding (gzip, br, ...): send it uncompressed.',
    message: 'Content-Encoding "%s" is not accepted: send the body uncompressed (identity).'
  },
  PRA_ERR_RANGE_NOT_SATISFIABLE: {
    status: 416,
    type: 'range-not-satisfiable',
    title: 'Range not satisfiable',
    when: 'A byte range of a static file under /docs that the file does not have.',
    answeredBy: 'docs'
  },
  PRA_ERR_NOT_COVERED: {
    status: 422,
    type: 'not-covered',
    title: 'Profile not covered by this service',
    when:
      'A valid procurement profile the service does not cover, for POST /v1/recommendations, one profile of a batch, ' +
      'POST /v1/plans and POST /v1/decisions alike: a utilities contract (contract.utilities), or a concession contract ' +
      'commenced before 24 Feb 2025, under the Concession Contracts Regulations 2016 (contract.concession). The detail ' +
      'says what is not covered; errors points at the field (under /profile where the profile is nested in the body).'
  },
  PRA_ERR_RATE_LIMITED: {
    status: 429,
    type: 'rate-limited',
    title: 'Too many requests',
    when:
      'The client passed its rate limit (RATE_LIMIT_MAX), or its address passed the limit on failed API ' +
      'key checks (AUTH_FAILURE_LIMIT); see Retry-After.',
    message: 'Rate limit of %d requests per window exceeded; retry after %s'
  },
  PRA_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    type: 'headers-too-large',
    title: 'Request header fields too large',
    when: 'The request line and headers together are larger than 16 KB.'
  },
  PRA_ERR_CLIENT: {
    status: 400,
    type: 'client-error',
    title: 'Client error',
    when: 'Any other client error a component reports; the status is the one it reported (always 4xx).',
    statusVaries: true
  },
  PRA_ERR_INTERNAL: {
    status: 500,
    type: 'internal',
    title: 'Internal server error',
    when: 'A bug: the request id (the problem instance) identifies it in the logs.'
  },
  PRA_ERR_RECORD_INTEGRITY: {
    status: 500,
    type: 'record-integrity',
    title: 'Record failed its integrity check',
    when:
      'GET /v1/decisions/{id} for a record that was altered or forged in the database after it was written (its signature ' +
      'or content hash does not match): it is not served. The operator should investigate; GET /v1/decisions/chain names it.',
    message: 'Decision record %s failed its integrity check (%s): it was changed in the database after it was written, and is not served'
  },
  PRA_ERR_OVERLOADED: {
    status: 503,
    type: 'overloaded',
    title: 'Service overloaded',
    when: 'The service sheds load (event-loop delay or memory above its bound); retry after Retry-After.',
    message: 'The service is overloaded; retry after the time in Retry-After'
  },
  PRA_ERR_STORE_UNAVAILABLE: {
    status: 503,
    type: 'store-unavailable',
    title: 'Decision store unavailable',
    when: 'The decision records database (PostgreSQL at DATABASE_URL) did not answer; nothing was written. Retry after Retry-After.',
    message: 'The decision store did not answer; nothing was written. Retry after the time in Retry-After'
  },
  PRA_ERR_SHUTTING_DOWN: {
    status: 503,
    type: 'shutting-down',
    title: 'Service shutting down',
    when: 'GET /health/ready after SIGTERM, while the service drains before it stops: send new work to another instance.',
    message: 'The service is shutting down; retry after the time in Retry-After, on another instance',
    answeredBy: 'readiness'
  }
} as const satisfies Record<string, ErrorDefinition>

export type ErrorCode = keyof typeof ERRORS
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[]

/** Whether a string is one of our codes (Fastify's and plugins' codes mostly are not). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code)
}

/** The code a status maps to when a component reports a bare 4xx/5xx without one of our codes. */
export const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'PRA_ERR_BAD_REQUEST',
  403: 'PRA_ERR_FORBIDDEN',
  404: 'PRA_ERR_ROUTE_NOT_FOUND',
  405: 'PRA_ERR_METHOD_NOT_ALLOWED',
  412: 'PRA_ERR_PRECONDITION_FAILED',
  413: 'FST_ERR_CTP_BODY_TOO_LARGE',
  414: 'PRA_ERR_URI_TOO_LONG',
  415: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  416: 'PRA_ERR_RANGE_NOT_SATISFIABLE',
  429: 'PRA_ERR_RATE_LIMITED',
  503: 'PRA_ERR_OVERLOADED'
}

type WithMessage = { [C in ErrorCode]: (typeof ERRORS)[C] extends { message: string } ? C : never }[ErrorCode]

function errorClass<A extends unknown[] = []>(code: WithMessage): FastifyErrorConstructor<{ code: string }, A> {
  const def: ErrorDefinition = ERRORS[code]
  return createError<A>(code, def.message ?? def.title, def.status)
}

export const InvalidUtf8Error = errorClass('PRA_ERR_INVALID_UTF8')
export const DateOutOfRangeError = errorClass<[string, string]>('PRA_ERR_DATE_OUT_OF_RANGE')
export const UnauthorizedError = errorClass<[string]>('PRA_ERR_UNAUTHORIZED')
export const RouteNotFoundError = errorClass<[string, string]>('PRA_ERR_ROUTE_NOT_FOUND')
export const ProcedureNotFoundError = errorClass<[string]>('PRA_ERR_PROCEDURE_NOT_FOUND')
export const MethodNotAllowedError = errorClass<[string, string, string]>('PRA_ERR_METHOD_NOT_ALLOWED')
export const UriTooLongError = errorClass<[number]>('PRA_ERR_URI_TOO_LONG')
export const UnsupportedCharsetError = errorClass<[string]>('PRA_ERR_UNSUPPORTED_CHARSET')
export const UnsupportedEncodingError = errorClass<[string]>('PRA_ERR_UNSUPPORTED_ENCODING')
export const RateLimitedError = errorClass<[number, string]>('PRA_ERR_RATE_LIMITED')
export const OverloadedError = errorClass('PRA_ERR_OVERLOADED')
export const ShuttingDownError = errorClass('PRA_ERR_SHUTTING_DOWN')
export const DecisionNotFoundError = errorClass<[string]>('PRA_ERR_DECISION_NOT_FOUND')
export const StoreUnavailableError = errorClass('PRA_ERR_STORE_UNAVAILABLE')
export const QuotaExceededProblem = errorClass<[number]>('PRA_ERR_QUOTA_EXCEEDED')
export const RecordIntegrityProblem = errorClass<[string, string]>('PRA_ERR_RECORD_INTEGRITY')

/** The detail of a profile the engine finds invalid; the errors name the field and say why. */
export const INVALID_PROFILE_DETAIL = 'The profile cannot be evaluated; see errors.'

/** What a profile the engine refuses is answered with, before the request's own instance is added. */
export interface RefusalProblem {
  code: 'PRA_ERR_NOT_COVERED' | 'PRA_ERR_VALIDATION'
  detail: string
  errors: FieldError[]
}

/**
 * The one answer to a profile the engine refuses, whichever route asked: a valid profile the
 * service does not cover is a 422 whose detail says what is not covered; an invalid one is a 400.
 * `at` is where the profile sits in the body ('' for a bare profile, '/profile', '/profiles/3'),
 * so the pointer names the field in the body the client sent.
 */
export function refusalProblem(refused: Refused, at = ''): RefusalProblem {
  const errors: FieldError[] = [{ pointer: `${at}${refused.pointer}`, in: 'body', message: refused.message }]
  if (refused.notCovered) return { code: 'PRA_ERR_NOT_COVERED', detail: refused.message, errors }
  return { code: 'PRA_ERR_VALIDATION', detail: INVALID_PROFILE_DETAIL, errors }
}
