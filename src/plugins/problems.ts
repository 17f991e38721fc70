// RFC 9457 problem details for every error: our coded errors (src/errors.ts), Fastify's own
// validation and body-parsing errors, errors of other components (the static files of /docs),
// unknown routes (404), known routes with the wrong method (405), and the errors Fastify raises
// before a route is found (a malformed URL, an over-long path parameter: see `frameworkError`).
//
// Request ids: the service makes its own for every request (the problem `instance`, the log's
// reqId, the `x-server-request-id` header), so no client can make two requests share one
// identity. A caller's own `x-request-id` (1-128 visible ASCII characters) is echoed back in
// `x-request-id` and logged as clientRequestId, for correlation; without one, `x-request-id` is
// the service's id.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import {
  CODE_BY_STATUS,
  ERRORS,
  MethodNotAllowedError,
  RouteNotFoundError,
  isErrorCode,
  refusalProblem,
  type ErrorCode
} from '../errors.js'
import type { Refused } from '../engine/decision.js'
import { fieldErrorList, validationDetail, type FieldError } from '../validation.js'
import type { Problem } from '../../schemas/problem.js'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/

export interface ProblemExtra {
  errors?: FieldError[]
  moreErrors?: number
  /** The status, where a component reported a 4xx that has no code of its own (PRA_ERR_CLIENT). */
  status?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Builds the problem of a code for this request (used also for one profile of a batch). */
    problem(request: FastifyRequest, code: ErrorCode, detail: string, extra?: ProblemExtra): Problem
    /** The problem of a profile the engine refuses (errors.ts refusalProblem); `at` is where the profile sits in the body. */
    refusal(request: FastifyRequest, refused: Refused, at?: string): Problem
    /** Sends the problem of any error, as the error handler does (also before routing). */
    sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply
    /** The 404 / 405 problem for a request no route matched; the /v1 plugin uses it behind its own hooks. */
    notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply
  }
  interface FastifyRequest {
    /** The caller's own x-request-id, when it sent a well-formed one. */
    clientRequestId?: string
  }
}

export interface ProblemsOptions {
  problemTypeBase: string
}

/** The request id headers of a response; also for replies sent before the onRequest hooks. */
export function setRequestIdHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const given = request.headers['x-request-id']
  if (request.clientRequestId === undefined && typeof given === 'string' && CLIENT_REQUEST_ID.test(given)) {
    request.clientRequestId = given
    const log = request.log as unknown as { setBindings(bindings: Record<string, string>): void }
    log.setBindings({ clientRequestId: given })
  }
  reply.header('x-request-id', request.clientRequestId ?? request.id)
  reply.header('x-server-request-id', request.id)
}

function requestPath(request: FastifyRequest): string {
  const q = request.url.indexOf('?')
  return q === -1 ? request.url : request.url.slice(0, q)
}

/** The code an error is answered with. */
function codeOf(error: FastifyError): ErrorCode {
  if (error.validation) return 'PRA_ERR_VALIDATION'
  if (isErrorCode(error.code)) return error.code
  if (error.code === 'FST_ERR_BAD_URL') return 'PRA_ERR_BAD_URL'
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return 'PRA_ERR_URI_TOO_LONG'
  const status = error.statusCode ?? 500
  // JSON.parse errors (including __proto__ / constructor poisoning) come as bare 400s.
  if (status === 400 && (error instanceof SyntaxError || error.name === 'SyntaxError')) return 'PRA_ERR_MALFORMED_JSON'
  if (status >= 400 && status < 500) return CODE_BY_STATUS[status] ?? 'PRA_ERR_CLIENT'
  if (status === 503) return 'PRA_ERR_OVERLOADED'
  return 'PRA_ERR_INTERNAL'
}

/** A detail that tells the client what to do, where the error's own message does not. */
function detailFor(code: ErrorCode, error: FastifyError, request: FastifyRequest): string {
  switch (code) {
    case 'PRA_ERR_MALFORMED_JSON':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `The body is not valid JSON, or it uses a forbidden "__proto__" or "constructor" key (${error.message}).`
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Content-Type "${request.headers['content-type'] ?? ''}" is not accepted: send the body as application/json.`
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The body is larger than the ${request.routeOptions.bodyLimit ?? 0} bytes this endpoint accepts.`
    case 'PRA_ERR_BAD_URL':
      return `The path "${requestPath(request)}" is not a valid URL: it has a malformed percent-encoding.`
    case 'PRA_ERR_URI_TOO_LONG':
      return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'A path parameter is longer than the 100 characters this service accepts.'
        : error.message
    case 'PRA_ERR_INTERNAL':
      return 'An unexpected error occurred; the request id identifies it in the logs.'
    default:
      return error.message
  }
}

/** The problem body of a code: one shape for every answer, with or without a request. */
export function problemBody(
  problemTypeBase: string,
  code: ErrorCode,
  detail: string,
  requestId: string,
  extra: ProblemExtra = {}
): Problem {
  const def = ERRORS[code]
  const out: Problem = {
    type: `${problemTypeBase}${def.type}`,
    title: def.title,
    status: extra.status ?? def.status,
    detail,
    instance: `urn:uuid:${requestId}`,
    code
  }
  if (extra.errors) out.errors = extra.errors
  if (extra.moreErrors) out.moreErrors = extra.moreErrors
  return out
}

export default fp<ProblemsOptions>(
  async function problems(app: FastifyInstance, opts: ProblemsOptions) {
    function problem(request: FastifyRequest, code: ErrorCode, detail: string, extra: ProblemExtra = {}): Problem {
      return problemBody(opts.problemTypeBase, code, detail, request.id, extra)
    }
    app.decorate('problem', problem)
    app.decorate('refusal', (request: FastifyRequest, refused: Refused, at?: string): Problem => {
      const { code, detail, errors } = refusalProblem(refused, at)
      return problem(request, code, detail, { errors })
    })

    function send(reply: FastifyReply, body: Problem): FastifyReply {
      return reply.code(body.status).type('application/problem+json').send(body)
    }

    app.addHook('onRequest', (request, reply, done) => {
      setRequestIdHeaders(request, reply)
      done()
    })

    function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
      const code = codeOf(error)
      if (code === 'PRA_ERR_VALIDATION' && error.validation) {
        const where = (error.validationContext ?? 'body') as FieldError['in']
        const list = fieldErrorList(error.validation as never, where)
        return send(reply, problem(request, code, validationDetail(list, `the ${where === 'querystring' ? 'query string' : where}`), list))
      }
      if (code === 'PRA_ERR_INTERNAL') request.log.error({ err: error }, 'unhandled error')
      const extra: ProblemExtra = code === 'PRA_ERR_CLIENT' ? { status: error.statusCode ?? 400 } : {}
      const body = problem(request, code, detailFor(code, error, request), extra)
      if (code === 'PRA_ERR_DATE_OUT_OF_RANGE') body.errors = [{ pointer: '/date', in: 'querystring', message: error.message }]
      return send(reply, body)
    }
    app.decorate('sendError', sendError)
    app.setErrorHandler(sendError)

    function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
      const path = requestPath(request)
      const matching = METHODS.filter((method) => {
        try {
          return app.findRoute({ method, url: path }) !== null
        } catch {
          return false
        }
      })
      // A wildcard route (the static files of /docs) that found no file is a 404, not a 405.
      const method = request.method === 'HEAD' ? 'GET' : (request.method as HTTPMethods)
      if (matching.length > 0 && !matching.includes(method)) {
        if (matching.includes('GET') && !matching.includes('HEAD' as HTTPMethods)) matching.push('HEAD' as HTTPMethods)
        const err = new MethodNotAllowedError(request.method, path, matching.join(', '))
        return send(reply.header('allow', matching.join(', ')), problem(request, 'PRA_ERR_METHOD_NOT_ALLOWED', err.message))
      }
      const err = new RouteNotFoundError(request.method, path)
      return send(reply, problem(request, 'PRA_ERR_ROUTE_NOT_FOUND', err.message))
    }
    app.decorate('notFound', notFound)
    app.setNotFoundHandler(notFound)
  },
  { name: 'problems' }
)
