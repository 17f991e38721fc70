// Who may call the API and how often: API keys (hashed, compared in constant time), a limit on
// failed key checks per address, and a per-client rate limit. Registered inside the API plugin
// (routes/api.ts), so its hooks belong to that encapsulated context: every route under /v1 and
// /mcp (and their 404s) runs them, whatever spelling of the path the router accepted, with one
// allowance per client for both, and no route elsewhere does.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiKey } from '../config.js'
import { RateLimitedError, UnauthorizedError } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The client name of the API key used, when keys are configured. */
    apiClient?: string
  }
}

export interface ApiAccessOptions {
  apiKeys: ApiKey[]
  rateLimitMax: number
  rateLimitWindowMs: number
  /** Failed key checks allowed per address per window. */
  authFailureMax: number
}

export const REALM = 'procurement-route-advisor'

/**
 * The header, with a random secret made at start that never leaves this process, of the requests
 * the service makes to its own API (app.inject) for a request that has already passed these hooks
 * and been counted: an MCP tool call is answered by the /v1 request it stands for (routes/mcp.ts).
 * Those requests still present the caller's key and are checked like any other, so they belong to
 * the same client; they are not counted against its allowance a second time.
 */
const COUNTED_CALL_HEADER = 'x-pra-counted-call'
const countedCallSecret = randomBytes(32).toString('base64url')
export const COUNTED_CALL_HEADERS: Readonly<Record<string, string>> = { [COUNTED_CALL_HEADER]: countedCallSecret }

function isCountedCall(request: FastifyRequest): boolean {
  const given = request.headers[COUNTED_CALL_HEADER]
  if (typeof given !== 'string' || given.length !== countedCallSecret.length) return false
  return timingSafeEqual(Buffer.from(given), Buffer.from(countedCallSecret))
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

/**
 * The options of a limit of @fastify/rate-limit (app.rateLimit, app.createRateLimit), counted in
 * the store of plugins/rate-limit-store.ts; `limit` names it for the metrics of a Redis outage.
 * Over the limit: 429, PRA_ERR_RATE_LIMITED, with Retry-After.
 */
export function limitOptions(limit: string, max: number, timeWindow: number, keyGenerator: (request: FastifyRequest) => string) {
  return {
    max,
    timeWindow,
    keyGenerator,
    errorResponseBuilder: (_request: FastifyRequest, context: { max: number; after: string }) =>
      new RateLimitedError(context.max, context.after),
    ...{ limit }
  }
}

export default fp<ApiAccessOptions>(
  async function apiAccess(app: FastifyInstance, opts: ApiAccessOptions) {
    const limited = (
      limit: string,
      max: number,
      keyGenerator: (request: FastifyRequest) => string,
      allowList?: (request: FastifyRequest) => boolean
    ) => app.rateLimit({ ...limitOptions(limit, max, opts.rateLimitWindowMs, keyGenerator), ...(allowList ? { allowList } : {}) })

    if (opts.apiKeys.length === 0) {
      app.log.warn('No API keys are configured (API_KEYS, API_KEYS_FILE): the API (/v1 and /mcp) is open to anyone who can reach it')
    } else {
      // Failed key checks are limited per address, so keys cannot be guessed at full speed.
      const limitFailures = limited('auth-failure', opts.authFailureMax, (request) => `auth-failure:${request.ip}`)
      app.addHook('onRequest', async function authenticate(request, reply) {
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
    }
    // After authentication, so the client is known: one allowance per API key (per address
    // when the API is open).
    app.addHook(
      'onRequest',
      limited(
        'client',
        opts.rateLimitMax,
        (request) => (request.apiClient ? `client:${request.apiClient}` : `ip:${request.ip}`),
        isCountedCall
      )
    )
  },
  { name: 'api-access', dependencies: ['security', 'problems'] }
)
