// Security for the whole service: security headers, CORS from an allow-list, and the rate-limit
// machinery. Who may call /v1 and how often is decided by the hooks of the /v1 plugin
// (plugins/api-access.ts), never by testing the URL.
import fp from 'fastify-plugin'
import helmetMiddleware from 'helmet'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'

// No upgrade-insecure-requests: /docs may be served over plain HTTP inside a council network,
// where that directive would send the UI's own calls to https and break "Try it out".
const HELMET_OPTIONS = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }

/**
 * The security headers helmet sets with these options, computed once at start. Every response
 * carries them: one hook sets them on each reply (@fastify/helmet would build a new helmet
 * middleware, and parse the CSP again, for every request: bench/README.md), and the answers sent
 * before any hook runs (a malformed request line, a malformed URL) add them themselves. The same
 * for every response, /docs included, but for the HTML paper's policy (PAPER_CSP).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {}
  const res = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()]
  }
  helmetMiddleware(HELMET_OPTIONS)({} as never, res as never, () => undefined)
  return Object.freeze(headers)
})()

/**
 * The Content-Security-Policy of the route-to-market paper (an HTML answer under /v1: routes/v1/index.ts),
 * in place of helmet's, which allows scripts from this origin. The paper has none: it needs only
 * its inline stylesheet and its `data:` icon, and is never framed, a form target or a base for links.
 */
export const PAPER_CSP =
  "default-src 'none';style-src 'unsafe-inline';img-src data:;base-uri 'none';form-action 'none';frame-ancestors 'none'"

export interface SecurityOptions {
  corsOrigins: string[]
}

export default fp<SecurityOptions>(
  async function security(app: FastifyInstance, opts: SecurityOptions) {
    app.addHook('onRequest', function securityHeaders(_request, reply, done) {
      reply.headers(SECURITY_HEADERS)
      done()
    })
    if (opts.corsOrigins.length > 0) {
      await app.register(cors, {
        origin: opts.corsOrigins,
        methods: ['GET', 'POST'],
        exposedHeaders: [
          'x-request-id',
          'x-server-request-id',
          'etag',
          'retry-after',
          'x-ratelimit-limit',
          'x-ratelimit-remaining',
          'x-ratelimit-reset'
        ],
        allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'if-none-match', 'mcp-protocol-version'],
        maxAge: 600
      })
    }
    // Decorates app.rateLimit(); nothing is limited here (global: false). The /v1 plugin adds
    // its limiters as hooks of its own context. With REDIS_URL the counters are kept in Redis
    // (plugins/rate-limit-store.ts), under REDIS_KEY_PREFIX.
    const { store } = app.rateLimitStore
    await app.register(rateLimit, { global: false, ...(store ? { store } : {}) })
  },
  { name: 'security', dependencies: ['problems', 'rate-limit-store'] }
)
