// Where the rate-limit counters live: in each process's memory, or with REDIS_URL in Redis, so
// the limits hold across replicas (@fastify/rate-limit's Redis store, with ioredis).
//
// A Redis that is down or slow must never make a request hang: commands are not queued while
// the connection is down (they fail at once), each waits at most REDIS_TIMEOUT_MS and is not
// retried, and the client reconnects by itself in the background. A check Redis does not answer
// is counted in this process instead (@fastify/rate-limit's own in-memory store): during an
// outage both limits hold per replica, as they did before REDIS_URL existed, neither failing
// open (unlimited key guessing) nor closed (the API down with Redis). docs/running-at-scale.md.
import { createRequire } from 'node:module'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit'

type Store = Omit<FastifyRateLimitStore, 'child'>
/** What @fastify/rate-limit passes a store: the limiter's settings, merged; `limit` is ours. */
type StoreParams = FastifyRateLimitOptions & { continueExceeding?: boolean; exponentialBackoff?: boolean; limit?: string }

// @fastify/rate-limit's two stores, for a store of our own (its documented `store` option).
// They are files of the package rather than exports: test/shared-limits.e2e.test.ts covers both.
const require = createRequire(import.meta.url)
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string
) => Store
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean
) => Store

/**
 * The store class for @fastify/rate-limit: Redis, and this process's memory for a check Redis
 * does not answer. Keys are `<prefix>rate-limit:<key>` (client:<name>, ip:<address>, auth-failure:<address>).
 */
export function fallbackStore(redis: Redis, keyPrefix: string, onFallback: (limit: string, err: Error) => void) {
  const namespace = `${keyPrefix}rate-limit:`
  return class FallbackStore implements FastifyRateLimitStore {
    private readonly shared: Store
    private readonly local: Store
    private readonly limit: string
    constructor(options: FastifyRateLimitOptions) {
      const params = options as StoreParams
      const continueExceeding = params.continueExceeding === true
      const exponentialBackoff = params.exponentialBackoff === true
      this.shared = new RedisStore(continueExceeding, exponentialBackoff, redis, namespace)
      this.local = new LocalStore(continueExceeding, exponentialBackoff)
      this.limit = params.limit ?? 'default'
    }

    incr(key: string, cb: Parameters<Store['incr']>[1], timeWindow: number, max: number): void {
      this.shared.incr(
        key,
        (err, result) => {
          if (!err) return cb(null, result)
          onFallback(this.limit, err)
          this.local.incr(key, cb, timeWindow, max)
        },
        timeWindow,
        max
      )
    }

    child(params: object): FallbackStore {
      return new FallbackStore(params as FastifyRateLimitOptions)
    }
  }
}

export type RateLimitStoreState = 'memory' | 'redis' | 'redis-unavailable'

declare module 'fastify' {
  interface FastifyInstance {
    rateLimitStore: {
      /** The Redis client, or null when the counters are kept in this process. */
      readonly redis: Redis | null
      /** The store class for @fastify/rate-limit (undefined: its own in-memory store). */
      readonly store: ReturnType<typeof fallbackStore> | undefined
      /** memory; redis (connected); redis-unavailable (not connected: reconnecting). */
      state(): RateLimitStoreState
      /** Resolves when Redis answers a PING; rejects, naming no host, when it is not connected or too slow. */
      ping(): Promise<void>
    }
  }
}

export interface RateLimitStoreOptions {
  redisUrl: string
  keyPrefix: string
  timeoutMs: number
}

/** The URL without its password, for the log. */
function redacted(url: string): string {
  const parsed = new URL(url)
  if (parsed.password !== '') parsed.password = '***'
  return parsed.toString()
}

export default fp<RateLimitStoreOptions>(
  async function rateLimitStore(app: FastifyInstance, opts: RateLimitStoreOptions) {
    if (opts.redisUrl === '') {
      app.decorate('rateLimitStore', { redis: null, store: undefined, state: () => 'memory' as const, ping: async () => undefined })
      return
    }
    const where = redacted(opts.redisUrl)
    // ioredis is loaded only when REDIS_URL is set (it costs ~100 ms of start-up).
    const { Redis: RedisClient } = await import('ioredis')
    const redis = new RedisClient(opts.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: opts.timeoutMs,
      commandTimeout: opts.timeoutMs,
      // Reconnect soon after an outage ends: 100 ms, 200 ms, ... then once a second.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000)
    })
    // One log line per change of state, not one per reconnection attempt.
    let up: boolean | undefined
    const down = (reason: string) => {
      if (up !== false) {
        app.log.error(
          { redis: where, reason },
          'rate-limit store unavailable: each replica counts the limits on its own until Redis answers'
        )
      }
      up = false
    }
    redis.on('ready', () => {
      if (up !== true) app.log.info({ redis: where }, 'rate-limit store ready: limits are shared through Redis')
      up = true
    })
    redis.on('close', () => down('connection closed'))
    redis.on('error', (err: Error) => down(err.message))
    try {
      await redis.connect()
    } catch {
      // Logged by the error listener; the service starts anyway and the client keeps reconnecting.
    }
    const store = fallbackStore(redis, opts.keyPrefix, (limit) => app.metrics.rateLimitFallbacks.inc({ limit }))
    app.decorate('rateLimitStore', {
      redis,
      store,
      state: () => (redis.status === 'ready' ? 'redis' : 'redis-unavailable'),
      // A Redis that hangs keeps its connection open ('ready'): only a command tells.
      async ping() {
        if (redis.status !== 'ready') throw new Error('not connected')
        try {
          await redis.ping()
        } catch (err) {
          if ((err as Error).message === 'Command timed out') throw new Error(`did not answer within ${opts.timeoutMs} ms`)
          throw err
        }
      }
    })
    app.addHook('onClose', async () => {
      redis.disconnect()
    })
  },
  { name: 'rate-limit-store', dependencies: ['metrics'] }
)
