// Who may call /v1 and how much: API keys (hashed, compared in constant time), security
// headers, CORS from an allow-list, and per-client rate limits. Docs and health stay public.
import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiKey } from '../config.js'
import { RateLimitedError, UnauthorizedError } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The client name of the API key used, when keys are configured. */
    apiClient?: string
  }
}

export interface SecurityOptions {
  apiKeys: ApiKey[]
  corsOrigins: string[]
  rateLimitMax: number
  rateLimitWindowMs: number
  /** Failed key checks allowed per address per window. */
  authFailureMax: number
}

export const REALM = 'procurement-route-advisor'

/** Only the versioned API is protected; docs, the OpenAPI document and health are public. */
export function isProtected(url: string): boolean {
  return url.startsWith('/v1/') || url === '/v1'
}

function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    return match ? match[1] : ''
  }
  const header = request.headers['x-api-key']
  return typeof header === 'string' ? header : undefined
}

/** Compares against every key, so the time taken does not say which (or whether one) matched. */
function findClient(keys: ApiKey[], presented: string): string | undefined {
  const digest = createHash('sha256').update(presented).digest()
  let found: string | undefined
  for (const key of keys) if (timingSafeEqual(digest, key.sha256) && found === undefined) found = key.client
  return found
}

export default fp<SecurityOptions>(
  async function security(app: FastifyInstance, opts: SecurityOptions) {
    // No upgrade-insecure-requests: /docs may be served over plain HTTP inside a council network,
    // where that directive would send the UI's own calls to https and break "Try it out".
    await app.register(helmet, { global: true, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })
    if (opts.corsOrigins.length > 0) {
      await app.register(cors, { origin: opts.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id'], exposedHeaders: ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] })
    }

    // Per-client limits on /v1 (route-level hooks, after the key check below has named the client).
    await app.register(rateLimit, {
      global: true,
      max: opts.rateLimitMax,
      timeWindow: opts.rateLimitWindowMs,
      allowList: (request) => !isProtected(request.url),
      keyGenerator: (request) => (request.apiClient ? `client:${request.apiClient}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) => new RateLimitedError(context.max, context.after)
    })

    if (opts.apiKeys.length === 0) {
      app.log.warn('No API keys are configured (API_KEYS, API_KEYS_FILE): the /v1 API is open to anyone who can reach it')
      return
    }
    // Failed key checks are limited per address, so keys cannot be guessed at full speed.
    const limitFailures = app.rateLimit({
      max: opts.authFailureMax,
      timeWindow: opts.rateLimitWindowMs,
      keyGenerator: (request) => `auth-failure:${request.ip}`,
      errorResponseBuilder: (_request, context) => new RateLimitedError(context.max, context.after)
    })
    app.addHook('onRequest', async (request, reply) => {
      if (!isProtected(request.url)) return
      const key = presentedKey(request)
      const client = key ? findClient(opts.apiKeys, key) : undefined
      if (client === undefined) {
        await limitFailures.call(app, request, reply)
        if (!key) {
          reply.header('www-authenticate', `Bearer realm="${REALM}"`)
          throw new UnauthorizedError('An API key is required: send Authorization: Bearer <key> (or X-API-Key: <key>).')
        }
        reply.header('www-authenticate', `Bearer realm="${REALM}", error="invalid_token"`)
        throw new UnauthorizedError('The API key is not recognised.')
      }
      request.apiClient = client
      // The request's own child logger, so every later line of this request names the client.
      const log = request.log as unknown as { setBindings(bindings: Record<string, string>): void }
      log.setBindings({ client })
    })
  },
  { name: 'security', dependencies: ['problems'] }
)
