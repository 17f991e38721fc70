// RFC 9457 problem details for every error: our coded errors, Fastify's own validation and
// body-parsing errors, unknown routes (404) and known routes with the wrong method (405).
// Every reply carries the request id in `x-request-id`; a problem's `instance` is that id.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { MethodNotAllowedError, PROBLEMS, PROBLEM_BY_CODE, RouteNotFoundError, type ProblemKey } from '../errors.js'
import { fieldErrorList, validationDetail, type FieldError } from '../validation.js'
import type { Problem } from '../../schemas/problem.js'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

export interface ProblemExtra {
  errors?: FieldError[]
  moreErrors?: number
  code?: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Builds a problem object for this request (used also for one profile of a batch). */
    problem(request: FastifyRequest, key: ProblemKey, detail: string, extra?: ProblemExtra): Problem
    /** The 404 / 405 problem for a request no route matched; the /v1 plugin uses it behind its own hooks. */
    notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply
  }
}

export interface ProblemsOptions {
  problemTypeBase: string
}

function requestPath(request: FastifyRequest): string {
  const q = request.url.indexOf('?')
  return q === -1 ? request.url : request.url.slice(0, q)
}

/** A detail that tells the client what to do, where Fastify's own message does not. */
function detailFor(key: ProblemKey, error: FastifyError, request: FastifyRequest): string {
  switch (key) {
    case 'malformedJson':
      return `The body is not valid JSON, or it uses a forbidden "__proto__" or "constructor" key (${error.message}).`
    case 'unsupportedMediaType':
      return `Content-Type "${request.headers['content-type'] ?? ''}" is not accepted: send the body as application/json.`
    case 'bodyTooLarge':
      return `The body is larger than the ${request.routeOptions.bodyLimit ?? 0} bytes this endpoint accepts.`
    default:
      return error.message
  }
}

export default fp<ProblemsOptions>(
  async function problems(app: FastifyInstance, opts: ProblemsOptions) {
    app.decorate('problem', (request: FastifyRequest, key: ProblemKey, detail: string, extra: ProblemExtra = {}): Problem => {
      const kind = PROBLEMS[key]
      const problem: Problem = { type: `${opts.problemTypeBase}${kind.type}`, title: kind.title, status: kind.status, detail, instance: `urn:uuid:${request.id}` }
      if (extra.code) problem.code = extra.code
      if (extra.errors) problem.errors = extra.errors
      if (extra.moreErrors) problem.moreErrors = extra.moreErrors
      return problem
    })

    function send(reply: FastifyReply, problem: Problem): FastifyReply {
      return reply.code(problem.status).type('application/problem+json').send(problem)
    }

    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id)
    })

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        const where = (error.validationContext ?? 'body') as FieldError['in']
        const list = fieldErrorList(error.validation as never, where)
        const detail = validationDetail(list, `the ${where === 'querystring' ? 'query string' : where}`)
        return send(reply, app.problem(request, 'validation', detail, { ...list, code: 'PRA_ERR_VALIDATION' }))
      }
      const mapped = error.code ? PROBLEM_BY_CODE[error.code] : undefined
      // JSON.parse errors (including __proto__ / constructor poisoning) come as 400 SyntaxErrors.
      const key: ProblemKey | undefined = mapped ?? (error.statusCode === 400 ? 'malformedJson' : undefined)
      if (key) {
        const problem = app.problem(request, key, detailFor(key, error, request), { code: error.code ?? 'PRA_ERR_MALFORMED_JSON' })
        if (key === 'dateOutOfRange') problem.errors = [{ pointer: '/date', in: 'querystring', message: error.message }]
        return send(reply, problem)
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return send(reply, { ...app.problem(request, 'validation', error.message), status: error.statusCode, title: 'Bad request', code: error.code ?? 'PRA_ERR_CLIENT' })
      }
      request.log.error({ err: error }, 'unhandled error')
      return send(reply, app.problem(request, 'internal', 'An unexpected error occurred; the request id identifies it in the logs.', { code: 'PRA_ERR_INTERNAL' }))
    })

    function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
      const path = requestPath(request)
      const matching = METHODS.filter((method) => {
        try {
          return app.findRoute({ method, url: path }) !== null
        } catch {
          return false
        }
      })
      if (matching.length > 0) {
        if (matching.includes('GET') && !matching.includes('HEAD' as HTTPMethods)) matching.push('HEAD' as HTTPMethods)
        const err = new MethodNotAllowedError(request.method, path, matching.join(', '))
        return send(reply.header('allow', matching.join(', ')), app.problem(request, 'methodNotAllowed', err.message, { code: err.code }))
      }
      const err = new RouteNotFoundError(request.method, path)
      return send(reply, app.problem(request, 'notFound', err.message, { code: err.code }))
    }
    app.decorate('notFound', notFound)
    app.setNotFoundHandler(notFound)
  },
  { name: 'problems' }
)
