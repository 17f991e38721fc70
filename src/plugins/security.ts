// Security for the whole service: security headers, CORS from an allow-list, and the rate-limit
// machinery. Who may call /v1 and how often is decided by the hooks of the /v1 plugin
// (plugins/api-access.ts), never by testing the URL.
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'

export interface SecurityOptions {
  corsOrigins: string[]
}

export default fp<SecurityOptions>(
  async function security(app: FastifyInstance, opts: SecurityOptions) {
    // No upgrade-insecure-requests: /docs may be served over plain HTTP inside a council network,
    // where that directive would send the UI's own calls to https and break "Try it out".
    await app.register(helmet, { global: true, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })
    if (opts.corsOrigins.length > 0) {
      await app.register(cors, { origin: opts.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id'], exposedHeaders: ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] })
    }
    // Decorates app.rateLimit(); nothing is limited here (global: false). The /v1 plugin adds
    // its limiters as hooks of its own context.
    await app.register(rateLimit, { global: false })
  },
  { name: 'security', dependencies: ['problems'] }
)
