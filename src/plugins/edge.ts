// The edge of the service: what it accepts on the wire, and the one log line of each request.
//
// - Errors Node raises before a request exists (timeouts, malformed HTTP, over-long headers) and
//   the ones Fastify raises before routing (a malformed percent-encoding, an over-long path
//   parameter) are answered as problems too, with the security headers and a request id, and
//   logged like any request.
// - A request target longer than MAX_URL_LENGTH is 414; request line and headers over Node's
//   16 KB are 431 (414 when the request line alone is over MAX_URL_LENGTH).
// - JSON bodies must be UTF-8 (RFC 8259 s.8.1): another charset is 415, invalid bytes are 400
//   (never replaced), a Content-Encoding other than identity is 415 (bodies are never
//   decompressed: a small gzip body could expand past the body limit). A request no route
//   matches is 404 or 405 whatever its body.
// - One log line per request: method, URL (query values other than the API's own parameters
//   redacted, so a key sent as ?key= never reaches the logs), client address (after TRUST_PROXY),
//   status, time; the API client name and the caller's request id are bound to the request's
//   logger by the access and problem plugins.
import { randomUUID } from 'node:crypto'
import { isUtf8 } from 'node:buffer'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyBaseLogger } from 'fastify'
import { ERRORS, InvalidUtf8Error, UnsupportedCharsetError, UnsupportedEncodingError, UriTooLongError, type ErrorCode } from '../errors.js'
import { problemBody, setRequestIdHeaders } from './problems.js'
import { SECURITY_HEADERS } from './security.js'

/** Query parameters of the API itself, logged as sent; any other value is redacted. */
const LOGGED_QUERY_PARAMETERS = new Set(['date', 'reference', 'cursor', 'limit', 'from', 'to'])

/** The URL as logged: the path, and the query with every value but the API's own redacted. */
export function loggedUrl(url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = eq === -1 ? pair : pair.slice(0, eq)
      return eq === -1 || LOGGED_QUERY_PARAMETERS.has(name) ? pair : `${name}=[redacted]`
    })
    .join('&')
  return `${url.slice(0, q)}?${query}`
}

/** The charset parameter of a Content-Type, lower-cased, or undefined. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')
  return match?.[1]?.toLowerCase()
}

const SECURITY_HEAD = Object.entries(SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('')

export interface EdgeOptions {
  problemTypeBase: string
  requestTimeoutMs: number
  maxUrlLength: number
}

/** The problem for a connection that has no request yet: a plain HTTP/1.1 answer, then close. */
export function clientErrorHandler(opts: EdgeOptions, log: () => FastifyBaseLogger) {
  return (err: Error, socket: Socket): void => {
    const nodeCode = (err as NodeJS.ErrnoException).code
    const raw = (err as { rawPacket?: Buffer }).rawPacket
    let code: ErrorCode = 'PRA_ERR_BAD_HTTP'
    let detail = 'The HTTP request could not be parsed.'
    if (nodeCode === 'ERR_HTTP_REQUEST_TIMEOUT') {
      code = 'PRA_ERR_REQUEST_TIMEOUT'
      detail = `The request did not arrive in full within ${opts.requestTimeoutMs} ms.`
    } else if (nodeCode === 'HPE_HEADER_OVERFLOW') {
      const head = raw?.toString('latin1') ?? ''
      const lineEnd = head.indexOf('\r\n')
      const lineLength = lineEnd === -1 ? head.length : lineEnd
      if (lineLength > opts.maxUrlLength) {
        code = 'PRA_ERR_URI_TOO_LONG'
        detail = `The request target is longer than the ${opts.maxUrlLength} characters this service accepts.`
      } else {
        code = 'PRA_ERR_HEADERS_TOO_LARGE'
        detail = 'The request line and headers together are larger than the 16 KB this service accepts.'
      }
    }
    const def = ERRORS[code]
    const id = randomUUID()
    const body = JSON.stringify(problemBody(opts.problemTypeBase, code, detail, id))
    log().info(
      { reqId: id, req: { remoteAddress: socket.remoteAddress }, res: { statusCode: def.status }, code },
      'request refused before parsing'
    )
    // A socket still holding an earlier answer (its client is not reading) gets no problem: it
    // could not be delivered, and end() would keep the socket and that answer for as long as the
    // client trickles bytes, each one restarting the idle timeout (test/slow-readers.e2e.test.ts).
    if (socket.writable && socket.writableLength === 0) {
      socket.end(
        `HTTP/1.1 ${def.status} ${STATUS_CODES[def.status] ?? def.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${id}\r\nX-Server-Request-Id: ${id}\r\n${SECURITY_HEAD}Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`
      )
    } else socket.destroy(err)
  }
}

function logLine(request: FastifyRequest, reply: FastifyReply): void {
  request.log.info(
    {
      req: { method: request.method, url: loggedUrl(request.url), remoteAddress: request.ip },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime * 100) / 100
    },
    'request completed'
  )
}

/**
 * Fastify's `frameworkErrors`: errors found before routing, so no hook has run. The reply gets
 * the request id and security headers the hooks would have set, the problem, and its log line.
 */
export function frameworkErrors(app: () => FastifyInstance) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    setRequestIdHeaders(request, reply)
    reply.headers(SECURITY_HEADERS)
    reply.header('cache-control', 'no-store')
    app().sendError(error, request, reply)
    reply.raw.once('finish', () => logLine(request, reply))
  }
}

export default fp<EdgeOptions>(
  async function edge(app: FastifyInstance, opts: EdgeOptions) {
    // Hooks that do not wait on anything take Fastify's callback form: no promise per request.
    app.addHook('onRequest', (request, _reply, done) => {
      done(request.url.length > opts.maxUrlLength ? new UriTooLongError(opts.maxUrlLength) : undefined)
    })
    app.addHook('onResponse', (request, reply, done) => {
      logLine(request, reply)
      done()
    })

    // JSON bodies only (415 for anything else), UTF-8 only, never compressed.
    app.removeAllContentTypeParsers()
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      // No route matched (404 or 405): the body is read (within the limit) and ignored, so an
      // empty or invalid JSON body does not turn the 404 / 405 into a 400. Fastify already skips
      // the parser of an unknown content type for these requests; this makes JSON the same.
      if (request.is404) return done(null, undefined)
      const encoding = request.headers['content-encoding']
      if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
        return done(new UnsupportedEncodingError(encoding), undefined)
      }
      const charset = charsetOf(request.headers['content-type'])
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return done(new UnsupportedCharsetError(charset), undefined)
      const bytes = body as Buffer
      if (!isUtf8(bytes)) return done(new InvalidUtf8Error(), undefined)
      parseJson(request, bytes.toString('utf8'), done)
    })
  },
  { name: 'edge', dependencies: ['problems'] }
)
